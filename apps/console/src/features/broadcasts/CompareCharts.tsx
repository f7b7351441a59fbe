import { BarChart, LineChart } from '@mantine/charts';
import { Paper, SimpleGrid, Title } from '@mantine/core';
import type { Bucket } from '../../lib/timeline';

export interface ComparedSeries {
  key: string;
  label: string;
  color: string;
}

/** The comparison's charts, in their own chunk with the charting library. */
export default function CompareCharts({
  series,
  funnel,
  pace,
}: {
  series: ComparedSeries[];
  funnel: Array<Record<string, number | string>>;
  pace: { bucket: Bucket; points: Array<Record<string, number | string>> };
}) {
  const chartSeries = series.map((s) => ({ name: s.key, label: s.label, color: s.color }));
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} mt="md">
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="sm">
          Funnel (% of sent)
        </Title>
        <BarChart h={260} data={funnel} dataKey="step" series={chartSeries} withLegend unit="%" data-testid="compare-funnel" />
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="sm">
          Delivered since start ({pace.bucket === 'minute' ? 'per minute' : 'per hour'}, cumulative)
        </Title>
        <LineChart
          h={260}
          data={pace.points}
          dataKey="elapsed"
          series={chartSeries}
          withLegend
          curveType="linear"
          withDots={pace.points.length <= 2}
          data-testid="compare-pace"
        />
      </Paper>
    </SimpleGrid>
  );
}
