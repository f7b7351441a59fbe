import { Anchor, Badge, Group, Paper, SimpleGrid, Switch, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { Contact } from '../../api/types';
import { canChange, useMe } from '../../app/session';
import { CursorPager, useCursorPages } from '../../components/CursorPager';
import { DateTime } from '../../components/DateTime';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, PageLoading, QueryState } from '../../components/PageState';
import { useLists } from './queries';

/** One contact: its attributes, lists, tags, opt-out state (a switch for marketers) and what it was sent. */
export default function ContactPage() {
  const id = Number(useParams().id);
  const contact = useQuery({
    queryKey: ['contacts', 'one', id],
    queryFn: () => unwrap(api.GET('/v1/contacts/{id}', { params: { path: { id } } })),
    enabled: Number.isInteger(id) && id > 0,
  });
  return (
    <>
      {!contact.data && <PageHeader title={`Contact ${id}`} showZone={false} />}
      <QueryState query={contact}>
        {(c) => (
          <>
            <PageHeader title={c.name ? `${c.name} · ${c.phone}` : c.phone} subtitle={c.country ?? undefined} />
            <SimpleGrid cols={{ base: 1, md: 2 }} mb="md">
              <OptOutPanel contact={c} />
              <MembershipsPanel contact={c} />
            </SimpleGrid>
            <AttributesPanel attributes={c.attributes} />
            <MessagesPanel contactId={c.id} />
          </>
        )}
      </QueryState>
    </>
  );
}

function OptOutPanel({ contact }: { contact: Contact }) {
  const client = useQueryClient();
  const changes = canChange(useMe().data?.role);
  const toggle = useMutation({
    mutationFn: (optedOut: boolean) => unwrap(api.PATCH('/v1/contacts/{id}', { params: { path: { id: contact.id } }, body: { optedOut } })),
    onSuccess: (updated) => {
      client.setQueryData(['contacts', 'one', contact.id], updated);
      void client.invalidateQueries({ queryKey: ['contacts', 'list'] });
      notifications.show({
        color: 'green',
        title: updated.optedOut ? 'Opted out' : 'Opted in again',
        message: updated.optedOut ? `${updated.phone} gets no business-initiated message` : `${updated.phone} may be messaged`,
      });
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Could not change the opt-out', message: error.message }),
  });
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Opt-out
      </Title>
      <Group>
        {contact.optedOut ? (
          <Badge color="red" variant="light" c="red.9" data-testid="opt-out-state">
            opted out
          </Badge>
        ) : (
          <Badge color="teal" variant="light" c="dark.7" data-testid="opt-out-state">
            can be messaged
          </Badge>
        )}
        {contact.optedOutAt && (
          <Text size="sm">
            since <DateTime value={contact.optedOutAt} />
          </Text>
        )}
      </Group>
      {changes && (
        <Switch
          mt="sm"
          label="Opted out (never sent a business-initiated message)"
          checked={contact.optedOut}
          disabled={toggle.isPending}
          onChange={(e) => toggle.mutate(e.currentTarget.checked)}
        />
      )}
    </Paper>
  );
}

function MembershipsPanel({ contact }: { contact: Contact }) {
  const lists = useLists();
  const name = new Map((lists.data ?? []).map((l) => [l.id, l.name]));
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Lists and tags
      </Title>
      <Text size="sm" mb={4}>
        Lists:{' '}
        {contact.listIds.length
          ? contact.listIds.map((id, i) => (
              <span key={id}>
                {i > 0 && ', '}
                <Anchor component={Link} to={`/contacts?list=${id}`}>
                  {name.get(id) ?? `list ${id}`}
                </Anchor>
              </span>
            ))
          : 'none'}
      </Text>
      <Group gap={4} data-testid="contact-tags">
        <Text size="sm">Tags:</Text>
        {contact.tags.length ? (
          contact.tags.map((t) => (
            <Badge key={t} variant="light" color="gray" c="dark.7" tt="none">
              {t}
            </Badge>
          ))
        ) : (
          <Text size="sm">none</Text>
        )}
      </Group>
    </Paper>
  );
}

function AttributesPanel({ attributes }: { attributes: Record<string, string> }) {
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Paper withBorder p="md" mb="md">
      <Title order={2} size="h4" mb="xs">
        Attributes
      </Title>
      {entries.length === 0 ? (
        <EmptyState>No attributes.</EmptyState>
      ) : (
        <Table aria-label="Attributes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Value</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Td>{k}</Table.Td>
                <Table.Td>{v}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function MessagesPanel({ contactId }: { contactId: number }) {
  const pages = useCursorPages(String(contactId));
  const messages = useQuery({
    queryKey: ['contacts', 'messages', contactId, pages.cursor],
    queryFn: () =>
      unwrap(api.GET('/v1/contacts/{id}/messages', { params: { path: { id: contactId }, query: { limit: 25, ...pages.cursorParam } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Broadcasts received
      </Title>
      {messages.isPending ? (
        <PageLoading label="Loading messages…" />
      ) : messages.isError ? (
        <ErrorState error={messages.error} />
      ) : messages.data.data.length === 0 ? (
        <EmptyState>No broadcast has reached this contact yet.</EmptyState>
      ) : (
        <>
          <Table aria-label="Broadcasts received" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Broadcast</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Sent</Table.Th>
                <Table.Th>Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {messages.data.data.map((m) => (
                <Table.Tr key={m.recipientId} data-testid="message-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/broadcasts/${m.broadcastId}`}>
                      {m.broadcastName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td data-testid="message-status">{m.status}</Table.Td>
                  <Table.Td>
                    <DateTime value={m.sentAt} />
                  </Table.Td>
                  <Table.Td>{m.errorCode ? `${m.errorCode} ${m.errorTitle ?? ''}` : (m.skipReason ?? '')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <CursorPager pages={pages} nextCursor={messages.data.nextCursor} label="Message pages" />
        </>
      )}
    </Paper>
  );
}
