import { Alert, Button, Group, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, unwrap, type Schemas } from '../../api/client';
import type { BroadcastRequest } from './compose-form';

/** Sends the message, rendered for that number's contact if there is one, to one number now. */
export function TestSendPanel({ request }: { request: BroadcastRequest | null }) {
  const [phone, setPhone] = useState('');
  const send = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/broadcasts/test-send', {
          body: {
            senderId: request!.senderId,
            template: request!.template,
            variables: request!.variables as unknown as Schemas['TestSendDto']['variables'],
            ...(request!.headerMediaUrl ? { headerMediaUrl: request!.headerMediaUrl } : {}),
            phone: phone.trim(),
          },
        }),
      ) as Promise<unknown> as Promise<{
        ok: boolean;
        to: string;
        wamid?: string;
        error?: { code: number; title: string; message: string };
      }>,
  });
  const refused = send.error instanceof ApiError && send.error.status === 409;
  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="xs">
        <TextInput
          label="Test number"
          description="E.164, e.g. +14155550100"
          value={phone}
          onChange={(e) => setPhone(e.currentTarget.value)}
          style={{ flex: 1 }}
        />
        <Button variant="default" onClick={() => send.mutate()} loading={send.isPending} disabled={!request || !phone.trim()}>
          Send a test
        </Button>
      </Group>
      {send.data?.ok && (
        <Alert color="teal" title="Test sent" data-testid="test-send-result">
          Sent to {send.data.to} (message id {send.data.wamid}).
        </Alert>
      )}
      {send.data && !send.data.ok && (
        <Alert color="red" title={`WhatsApp refused it: ${send.data.error?.title ?? ''}`} role="alert">
          {send.data.error?.code}: {send.data.error?.message}
        </Alert>
      )}
      {send.error && (
        <Alert
          color="red"
          title={refused ? 'Refused: this number cannot be messaged' : 'The test was not sent'}
          role="alert"
          data-testid="test-send-error"
        >
          {send.error.message}
        </Alert>
      )}
    </Stack>
  );
}
