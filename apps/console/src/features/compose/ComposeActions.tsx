import { Button } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { BroadcastDetails } from '../../api/types';
import { canChange, useMe } from '../../app/session';

/** Edit (a draft or scheduled broadcast) and Copy (any), for people who may change things. */
export function ComposeActions({ broadcast }: { broadcast: Pick<BroadcastDetails, 'id' | 'status' | 'kind'> }) {
  const me = useMe();
  const navigate = useNavigate();
  const copy = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/broadcasts/{id}/copy', { params: { path: { id: broadcast.id } }, body: { draft: true } })),
    // A draft: nothing goes until the marketer has reviewed the copy and saved it.
    onSuccess: (copied) => navigate(`/broadcasts/${copied.id}/edit`),
  });
  if (!canChange(me.data?.role) || broadcast.kind !== 'broadcast') return null;
  return (
    <>
      {['draft', 'scheduled'].includes(broadcast.status) && (
        <Button component={Link} to={`/broadcasts/${broadcast.id}/edit`} variant="default">
          Edit
        </Button>
      )}
      <Button variant="default" onClick={() => copy.mutate()} loading={copy.isPending}>
        Copy
      </Button>
    </>
  );
}
