import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  SimpleGrid,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { WebhookDeliveryStatus, WebhookEndpoint, WebhookEventType } from '../../api/types';
import { CursorPager, useCursorPages } from '../../components/CursorPager';
import { DateTime } from '../../components/DateTime';
import { PageHeader } from '../../components/PageHeader';
import { ShownOnceSecret } from '../../components/ShownOnceSecret';
import { EmptyState, ErrorState, PageLoading } from '../../components/PageState';

const ENDPOINTS_KEY = ['webhook-endpoints'] as const;
const EVENT_TYPES: WebhookEventType[] = [
  'broadcast.status_changed',
  'broadcast.completed',
  'recipient.failed',
  'message.replied',
  'contact.opted_out',
  'import.completed',
  'template.status_changed',
];

/** Admins only: where Clarion posts its events (a CRM, a data warehouse), each delivery signed and logged. */
export default function WebhooksPage() {
  const pages = useCursorPages('endpoints');
  const [creating, { open, close }] = useDisclosure(false);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [shown, setShown] = useState<WebhookEndpoint | null>(null);
  const list = useQuery({
    queryKey: [...ENDPOINTS_KEY, pages.cursor],
    queryFn: () => unwrap(api.GET('/v1/webhook-endpoints', { params: { query: { limit: 50, ...pages.cursorParam } } })),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader
        title="Outbound webhooks"
        subtitle="Clarion posts broadcast, recipient, reply, opt-out, import and template events to these URLs, signed (Standard Webhooks)"
        actions={<Button onClick={open}>Add an endpoint</Button>}
      />
      <CreateEndpointModal
        opened={creating}
        onClose={close}
        onCreated={(endpoint) => {
          close();
          if (endpoint.secret) setSecret({ url: endpoint.url, secret: endpoint.secret });
        }}
      />
      <SecretModal shown={secret} onClose={() => setSecret(null)} />
      <Paper withBorder p="md">
        {list.isPending ? (
          <PageLoading label="Loading endpoints…" />
        ) : list.isError ? (
          <ErrorState error={list.error} />
        ) : list.data.data.length === 0 ? (
          <EmptyState>No endpoint yet: add one to receive Clarion's events.</EmptyState>
        ) : (
          <>
            <Table.ScrollContainer minWidth={900}>
              <Table striped aria-label="Webhook endpoints" aria-busy={list.isFetching}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th miw={200}>URL</Table.Th>
                    <Table.Th>Events</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.data.map((endpoint) => (
                    <EndpointRow key={endpoint.id} endpoint={endpoint} onShowDeliveries={() => setShown(endpoint)} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <CursorPager pages={pages} nextCursor={list.data.nextCursor} label="Endpoint pages" />
          </>
        )}
      </Paper>
      {shown && <DeliveriesPanel endpoint={shown} onClose={() => setShown(null)} />}
    </>
  );
}

function EndpointRow({ endpoint, onShowDeliveries }: { endpoint: WebhookEndpoint; onShowDeliveries: () => void }) {
  const client = useQueryClient();
  const [deleting, setDeleting] = useState(false);
  const refresh = () => client.invalidateQueries({ queryKey: ENDPOINTS_KEY });
  const failed = (title: string) => (error: Error) => notifications.show({ color: 'red', title, message: error.message });
  const ping = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/webhook-endpoints/{id}/test', { params: { path: { id: endpoint.id } } })),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: ['webhook-deliveries', endpoint.id] });
      notifications.show({
        color: result.status === 'succeeded' ? 'green' : 'red',
        title: result.status === 'succeeded' ? 'Ping delivered' : 'Ping failed',
        message: `${endpoint.url} answered ${result.responseCode ?? 'nothing'}${result.error ? ` (${result.error})` : ''}`,
      });
    },
    onError: failed('Could not send the ping'),
  });
  const toggle = useMutation({
    mutationFn: (enabled: boolean) =>
      unwrap(api.PATCH('/v1/webhook-endpoints/{id}', { params: { path: { id: endpoint.id } }, body: { enabled } })),
    onSuccess: () => void refresh(),
    onError: failed('Could not change the endpoint'),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/webhook-endpoints/{id}', { params: { path: { id: endpoint.id } } })),
    onSuccess: () => {
      setDeleting(false);
      void refresh();
      notifications.show({ color: 'green', title: 'Endpoint deleted', message: `${endpoint.url} gets nothing more` });
    },
    onError: failed('Could not delete the endpoint'),
  });
  const enabled = endpoint.status === 'enabled';
  return (
    <Table.Tr data-testid="endpoint-row">
      <Table.Td>
        <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
          {endpoint.url}
        </Text>
        {endpoint.description && (
          <Text size="xs" c="dimmed">
            {endpoint.description}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="xs">{endpoint.events.join(', ')}</Text>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={enabled ? 'green' : 'red'} c="dark.7" miw="max-content">
          {endpoint.status}
        </Badge>
        {endpoint.disabledReason && (
          <Text size="xs" c="dimmed">
            {endpoint.disabledReason}
          </Text>
        )}
        {endpoint.failingSince && (
          <Text size="xs" c="red.8">
            failing since <DateTime value={endpoint.failingSince} />
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          <DateTime value={endpoint.createdAt} />
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button
            size="xs"
            variant="default"
            loading={ping.isPending}
            onClick={() => ping.mutate()}
            aria-label={`Send a test ping to ${endpoint.url}`}
          >
            Send test ping
          </Button>
          <Button size="xs" variant="default" onClick={onShowDeliveries} aria-label={`Deliveries of ${endpoint.url}`}>
            Deliveries
          </Button>
          <Button
            size="xs"
            variant="default"
            loading={toggle.isPending}
            onClick={() => toggle.mutate(!enabled)}
            aria-label={`${enabled ? 'Disable' : 'Enable'} ${endpoint.url}`}
          >
            {enabled ? 'Disable' : 'Enable'}
          </Button>
          <Button size="xs" variant="default" color="red" onClick={() => setDeleting(true)} aria-label={`Delete ${endpoint.url}`}>
            Delete
          </Button>
        </Group>
        <Modal opened={deleting} onClose={() => setDeleting(false)} title="Delete this endpoint?">
          <Stack>
            <Text size="sm">
              <b>{endpoint.url}</b> gets no more events, and its delivery log goes with it.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDeleting(false)}>
                Keep it
              </Button>
              <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
                Delete endpoint
              </Button>
            </Group>
          </Stack>
        </Modal>
      </Table.Td>
    </Table.Tr>
  );
}

function CreateEndpointModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (endpoint: WebhookEndpoint) => void;
}) {
  const client = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['broadcast.completed']);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/webhook-endpoints', {
          body: {
            url: url.trim(),
            events: events as WebhookEventType[],
            ...(description.trim() ? { description: description.trim() } : {}),
          },
        }),
      ),
    onSuccess: (endpoint) => {
      void client.invalidateQueries({ queryKey: ENDPOINTS_KEY });
      setUrl('');
      setDescription('');
      setEvents(['broadcast.completed']);
      create.reset();
      onCreated(endpoint);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Add a webhook endpoint" size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {create.isError && (
            <Text c="red.8" size="sm" role="alert">
              {create.error.message}
            </Text>
          )}
          <TextInput
            label="URL"
            description="https in production; Clarion POSTs each event here"
            required
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            data-autofocus
          />
          <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Checkbox.Group label="Events" description="What this endpoint is sent" required value={events} onChange={setEvents}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
              {EVENT_TYPES.map((type) => (
                <Checkbox key={type} value={type} label={type} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending} disabled={!url.trim() || events.length === 0}>
              Add endpoint
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The signing secret, once: receivers verify each delivery with it. */
function SecretModal({ shown, onClose }: { shown: { url: string; secret: string } | null; onClose: () => void }) {
  return (
    <Modal opened={!!shown} onClose={onClose} title="The endpoint's signing secret" size="lg">
      {shown && (
        <Stack>
          <Alert color="yellow" title="Copy it now">
            This is the only time the secret is shown. Verify each delivery to {shown.url} with it (any Standard Webhooks library).
          </Alert>
          <ShownOnceSecret value={shown.secret} testId="endpoint-secret" copyLabel="Copy secret" onDone={onClose} />
        </Stack>
      )}
    </Modal>
  );
}

function DeliveriesPanel({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose: () => void }) {
  const [status, setStatus] = useState<'all' | WebhookDeliveryStatus>('all');
  const pages = useCursorPages('deliveries');
  const deliveries = useQuery({
    queryKey: ['webhook-deliveries', endpoint.id, status, pages.cursor],
    queryFn: () =>
      unwrap(
        api.GET('/v1/webhook-endpoints/{id}/deliveries', {
          params: { path: { id: endpoint.id }, query: { limit: 50, ...(status === 'all' ? {} : { status }), ...pages.cursorParam } },
        }),
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 2_000,
  });
  return (
    <Paper withBorder p="md" mt="md" component="section" aria-label={`Deliveries to ${endpoint.url}`}>
      <Group justify="space-between" mb="sm">
        <Text fw={600} component="h2" size="lg">
          Deliveries to {endpoint.url}
        </Text>
        <Group>
          <SegmentedControl
            aria-label="Delivery status"
            value={status}
            onChange={(v) => setStatus(v as typeof status)}
            data={[
              { value: 'all', label: 'All' },
              { value: 'succeeded', label: 'Succeeded' },
              { value: 'failed', label: 'Failed' },
            ]}
          />
          <Button variant="default" size="xs" onClick={onClose}>
            Close deliveries
          </Button>
        </Group>
      </Group>
      {deliveries.isPending ? (
        <PageLoading label="Loading deliveries…" />
      ) : deliveries.isError ? (
        <ErrorState error={deliveries.error} />
      ) : deliveries.data.data.length === 0 ? (
        <EmptyState>No delivery attempt yet.</EmptyState>
      ) : (
        <>
          <Table.ScrollContainer minWidth={800}>
            <Table striped aria-label="Delivery attempts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Event</Table.Th>
                  <Table.Th>Attempt</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Answer</Table.Th>
                  <Table.Th>Took</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {deliveries.data.data.map((d) => (
                  <Table.Tr key={d.id} data-testid="delivery-row">
                    <Table.Td>
                      <Text size="sm">
                        <DateTime value={d.createdAt} />
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{d.eventType}</Text>
                      <Text size="xs" c="dimmed">
                        {d.eventId}
                      </Text>
                    </Table.Td>
                    <Table.Td>{d.attempt}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={d.status === 'succeeded' ? 'green' : 'red'} c="dark.7" miw="max-content">
                        {d.status}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{d.responseCode ?? '—'}</Text>
                      {d.error && (
                        <Text size="xs" c="dimmed">
                          {d.error}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{d.durationMs} ms</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <CursorPager pages={pages} nextCursor={deliveries.data.nextCursor} label="Delivery pages" />
        </>
      )}
    </Paper>
  );
}
