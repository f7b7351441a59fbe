import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { BroadcastDetails } from '../../api/types';
import { canChange, useMe } from '../../app/session';
import { formatCount } from '../../lib/format';
import { allowedActions } from './broadcast-controls';

/** Notifications go below, clear of the header's buttons they answer. */
const notify = (n: { color: string; title: string; message: string }) => notifications.show({ ...n, position: 'bottom-right' });

type Broadcast = Pick<BroadcastDetails, 'id' | 'name' | 'status' | 'stats'>;

/**
 * Pause, resume, cancel, retry the failed, delete: the buttons the broadcast's status allows,
 * for marketers and admins only (anyone sees what a paused one has left to send). Each action refreshes the page's queries; a refusal shows the
 * API's message.
 */
export function BroadcastControls({ broadcast }: { broadcast: Broadcast }) {
  const role = useMe().data?.role;
  return (
    <>
      {broadcast.status === 'paused' && (
        <Text size="sm" data-testid="paused-remaining">
          {formatCount(broadcast.stats.queued)} of {formatCount(broadcast.stats.total)} left to send
        </Text>
      )}
      {canChange(role) && <Controls broadcast={broadcast} />}
    </>
  );
}

function Controls({ broadcast: b }: { broadcast: Broadcast }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [confirmingCancel, cancelDialog] = useDisclosure();
  const [confirmingDelete, deleteDialog] = useDisclosure();
  const path = { params: { path: { id: b.id } } };
  const refresh = () => client.invalidateQueries({ queryKey: ['broadcast', b.id] });
  const failedTo = (what: string) => (error: Error) => notify({ color: 'red', title: `Could not ${what}`, message: error.message });

  const pause = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/broadcasts/{id}/pause', path)),
    onSuccess: () => notify({ color: 'yellow', title: 'Paused', message: `${b.name} sends nothing more until resumed` }),
    onError: failedTo('pause'),
    onSettled: refresh,
  });
  const resume = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/broadcasts/{id}/resume', path)),
    onSuccess: () => notify({ color: 'green', title: 'Resumed', message: `${b.name} goes on where it stopped` }),
    onError: failedTo('resume'),
    onSettled: refresh,
  });
  const cancel = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/broadcasts/{id}/cancel', path)),
    onSuccess: () => {
      cancelDialog.close();
      notify({ color: 'gray', title: 'Cancelled', message: `${b.name} sends nothing more` });
    },
    onError: failedTo('cancel'),
    onSettled: refresh,
  });
  const retryFailed = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/broadcasts/{id}/retry-failed', path)),
    onSuccess: (draft) => {
      notify({
        color: 'green',
        title: 'Draft created',
        message: `"${draft.name}" holds the failed recipients a retry can reach; it sends nothing until scheduled`,
      });
      navigate(`/broadcasts/${draft.id}`);
    },
    onError: failedTo('retry the failed'),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/broadcasts/{id}', path)),
    onSuccess: () => {
      deleteDialog.close();
      notify({ color: 'gray', title: 'Deleted', message: `${b.name} is gone` });
      client.removeQueries({ queryKey: ['broadcast', b.id] });
      void client.invalidateQueries({ queryKey: ['broadcasts', 'history'] });
      navigate('/broadcasts');
    },
    onError: failedTo('delete'),
  });

  const actions = allowedActions(b.status, b.stats.failed);
  const busy = pause.isPending || resume.isPending || cancel.isPending || retryFailed.isPending || remove.isPending;
  return (
    <>
      {actions.includes('pause') && (
        <Button variant="default" onClick={() => pause.mutate()} loading={pause.isPending} disabled={busy}>
          Pause
        </Button>
      )}
      {actions.includes('resume') && (
        <Button onClick={() => resume.mutate()} loading={resume.isPending} disabled={busy}>
          Resume
        </Button>
      )}
      {actions.includes('retryFailed') && (
        <Button variant="default" onClick={() => retryFailed.mutate()} loading={retryFailed.isPending} disabled={busy}>
          Retry failed
        </Button>
      )}
      {actions.includes('cancel') && (
        <Button color="red" variant="outline" onClick={cancelDialog.open} disabled={busy}>
          Cancel broadcast
        </Button>
      )}
      {actions.includes('delete') && (
        <Button color="red" variant="outline" onClick={deleteDialog.open} disabled={busy}>
          Delete
        </Button>
      )}
      <ConfirmDialog
        opened={confirmingCancel}
        onClose={cancelDialog.close}
        title="Cancel this broadcast?"
        text={`${b.name} sends nothing more: its ${formatCount(b.stats.queued)} unsent recipients end cancelled. This cannot be undone.`}
        keep="Keep sending"
        confirm="Yes, cancel it"
        pending={cancel.isPending}
        onConfirm={() => cancel.mutate()}
      />
      <ConfirmDialog
        opened={confirmingDelete}
        onClose={deleteDialog.close}
        title="Delete this broadcast?"
        text={`${b.name} has not started; deleting it removes it from the history. This cannot be undone.`}
        keep="Keep it"
        confirm="Yes, delete it"
        pending={remove.isPending}
        onConfirm={() => remove.mutate()}
      />
    </>
  );
}

function ConfirmDialog(props: {
  opened: boolean;
  onClose: () => void;
  title: string;
  text: string;
  keep: string;
  confirm: string;
  pending: boolean;
  onConfirm: () => void;
}) {
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title}>
      <Stack>
        <Text size="sm">{props.text}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {props.keep}
          </Button>
          <Button color="red" loading={props.pending} onClick={props.onConfirm}>
            {props.confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
