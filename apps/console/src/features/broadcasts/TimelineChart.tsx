import { AreaChart } from '@mantine/charts';
import type { TimelinePoint } from '../../lib/timeline';

/** The chart itself, in its own chunk (the charting library is the heaviest part of the console). */
export default function TimelineChart({ points }: { points: TimelinePoint[] }) {
  return (
    <AreaChart
      h={260}
      data={points}
      dataKey="label"
      withLegend
      curveType="linear"
      withDots={points.length <= 2}
      series={[
        { name: 'sent', label: 'Sent', color: 'blue.7' },
        { name: 'delivered', label: 'Delivered', color: 'teal.7' },
        { name: 'read', label: 'Read', color: 'violet.7' },
        { name: 'failed', label: 'Failed', color: 'red.7' },
      ]}
    />
  );
}
