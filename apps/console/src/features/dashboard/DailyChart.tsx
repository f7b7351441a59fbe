import { BarChart } from '@mantine/charts';
import type { Dashboard } from '../../api/types';

/** The dashboard's daily figures, in their own chunk with the charting library (the first page loads without it). */
export default function DailyChart({ days }: { days: Dashboard['days'] }) {
  return (
    <BarChart
      h={260}
      data={days}
      dataKey="day"
      withLegend
      series={[
        { name: 'sent', label: 'Sent', color: 'blue.7' },
        { name: 'delivered', label: 'Delivered', color: 'teal.7' },
        { name: 'read', label: 'Read', color: 'violet.7' },
        { name: 'replied', label: 'Replied', color: 'orange.7' },
        { name: 'failed', label: 'Failed', color: 'red.7' },
      ]}
    />
  );
}
