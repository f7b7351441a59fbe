import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { canChange, useMe } from '../../app/session';

/** "New broadcast", for people who may send; `search` carries an audience (e.g. `?listId=3`). */
export function NewBroadcastButton({ search = '', label = 'New broadcast' }: { search?: string; label?: string }) {
  const me = useMe();
  if (!canChange(me.data?.role)) return null;
  return (
    <Button component={Link} to={`/broadcasts/new${search}`}>
      {label}
    </Button>
  );
}
