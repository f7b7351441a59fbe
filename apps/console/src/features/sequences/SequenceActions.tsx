import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { Sequence } from '../../api/types';
import { sequenceKey } from './queries';

/** Edit, and Pause or Resume: for marketers and admins only (the page leaves them out for analysts). */
export function SequenceActions({ sequence }: { sequence: Sequence }) {
  const client = useQueryClient();
  const paused = sequence.status === 'paused';
  const toggle = useMutation({
    mutationFn: () =>
      unwrap(
        paused
          ? api.POST('/v1/sequences/{id}/resume', { params: { path: { id: sequence.id } } })
          : api.POST('/v1/sequences/{id}/pause', { params: { path: { id: sequence.id } } }),
      ),
    onSuccess: (saved) => {
      client.setQueryData(sequenceKey(sequence.id), saved);
      client.invalidateQueries({ queryKey: ['sequences'] });
    },
    onError: (error) => notifications.show({ color: 'red', title: paused ? 'Not resumed' : 'Not paused', message: error.message }),
  });
  return (
    <>
      <Button component={Link} to={`/sequences/${sequence.id}/edit`} variant="default">
        Edit sequence
      </Button>
      <Button onClick={() => toggle.mutate()} loading={toggle.isPending} variant={paused ? 'filled' : 'default'}>
        {paused ? 'Resume sequence' : 'Pause sequence'}
      </Button>
    </>
  );
}
