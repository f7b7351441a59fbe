import { Alert, Badge, Button, Code, Group, Modal, NumberInput, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { IssuedToken, Role, Token } from '../../api/types';
import { CursorPager, useCursorPages } from '../../components/CursorPager';
import { DateTime } from '../../components/DateTime';
import { PageHeader } from '../../components/PageHeader';
import { ShownOnceSecret } from '../../components/ShownOnceSecret';
import { EmptyState, ErrorState, PageLoading } from '../../components/PageState';
import { isRole, roleOptions } from './roles';

const PAGE_SIZE = 50;
const TOKENS_KEY = ['tokens'] as const;
const STATUS_COLORS: Record<Token['status'], string> = { active: 'green', expired: 'gray', revoked: 'red' };

/** Admins only: API tokens for other systems. A token is shown once, when it is created. */
export default function TokensPage() {
  const pages = useCursorPages('tokens');
  const [creating, { open, close }] = useDisclosure(false);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const list = useQuery({
    queryKey: [...TOKENS_KEY, pages.cursor],
    queryFn: () => unwrap(api.GET('/v1/tokens', { params: { query: { limit: PAGE_SIZE, ...pages.cursorParam } } })),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader
        title="API tokens"
        subtitle="Bearer tokens for other systems calling the API; each has a role like a person"
        actions={<Button onClick={open}>Create a token</Button>}
      />
      <CreateTokenModal
        opened={creating}
        onClose={close}
        onIssued={(token) => {
          close();
          setIssued(token);
        }}
      />
      <IssuedTokenModal token={issued} onClose={() => setIssued(null)} />
      <RevokeModal token={revoking} onClose={() => setRevoking(null)} />
      <Paper withBorder p="md">
        {list.isPending ? (
          <PageLoading label="Loading tokens…" />
        ) : list.isError ? (
          <ErrorState error={list.error} />
        ) : list.data.data.length === 0 ? (
          <EmptyState>No API token yet.</EmptyState>
        ) : (
          <>
            <Table.ScrollContainer minWidth={900}>
              <Table striped aria-label="API tokens" aria-busy={list.isFetching}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>Ends with</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>Expires</Table.Th>
                    <Table.Th>Last used</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.data.map((token) => (
                    <Table.Tr key={token.id} data-testid="token-row">
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {token.name}
                        </Text>
                        {token.bootstrap && (
                          <Text size="xs" c="dimmed">
                            CLARION_ADMIN_TOKEN
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{token.role}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Code>{token.hint}</Code>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={STATUS_COLORS[token.status]} c="dark.7" miw="max-content">
                          {token.status}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          <DateTime value={token.createdAt} />
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{token.expiresAt ? <DateTime value={token.expiresAt} /> : 'never'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{token.lastUsedAt ? <DateTime value={token.lastUsedAt} /> : 'never'}</Text>
                      </Table.Td>
                      <Table.Td>
                        {token.status === 'active' && (
                          <Button size="xs" variant="default" aria-label={`Revoke ${token.name}`} onClick={() => setRevoking(token)}>
                            Revoke
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <CursorPager pages={pages} nextCursor={list.data.nextCursor} label="Token pages" />
          </>
        )}
      </Paper>
    </>
  );
}

function CreateTokenModal({ opened, onClose, onIssued }: { opened: boolean; onClose: () => void; onIssued: (token: IssuedToken) => void }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [days, setDays] = useState<number | string>('');
  const create = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/v1/tokens', { body: { name: name.trim(), role, ...(typeof days === 'number' ? { expiresInDays: days } : {}) } })),
    onSuccess: (token) => {
      void client.invalidateQueries({ queryKey: TOKENS_KEY });
      setName('');
      setRole('analyst');
      setDays('');
      create.reset();
      onIssued(token);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Create an API token">
      <form onSubmit={submit} noValidate>
        <Stack>
          {create.isError && (
            <Text c="red.8" size="sm" role="alert">
              {create.error.message}
            </Text>
          )}
          <TextInput
            label="Name"
            description="What uses it, e.g. “CRM sync”"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-autofocus
          />
          <Select label="Role" data={roleOptions} value={role} allowDeselect={false} onChange={(v) => isRole(v) && setRole(v)} />
          <NumberInput
            label="Expires after (days)"
            description="Leave empty for a token that does not expire"
            min={1}
            max={3650}
            allowDecimal={false}
            value={days}
            onChange={setDays}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The token itself, once: it is stored hashed, so nobody can show it again. */
function IssuedTokenModal({ token, onClose }: { token: IssuedToken | null; onClose: () => void }) {
  return (
    <Modal opened={!!token} onClose={onClose} title="Your new API token" size="lg">
      {token && (
        <Stack>
          <Alert color="yellow" title="Copy it now">
            This is the only time the token is shown. Clarion keeps only its hash.
          </Alert>
          <Text size="sm">
            <b>{token.name}</b> ({token.role}){token.expiresAt ? ', expires ' : ''}
            {token.expiresAt && <DateTime value={token.expiresAt} />}
          </Text>
          <ShownOnceSecret value={token.token} testId="issued-token" copyLabel="Copy token" onDone={onClose} />
        </Stack>
      )}
    </Modal>
  );
}

function RevokeModal({ token, onClose }: { token: Token | null; onClose: () => void }) {
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/v1/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: TOKENS_KEY });
      notifications.show({ color: 'green', title: 'Token revoked', message: `${token?.name} answers 401 from now on` });
      onClose();
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Could not revoke the token', message: error.message }),
  });
  return (
    <Modal opened={!!token} onClose={onClose} title="Revoke this token?">
      {token && (
        <Stack>
          <Text size="sm">
            Anything still using <b>{token.name}</b> ({token.hint}) is refused from now on. This cannot be undone.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Keep it
            </Button>
            <Button color="red" loading={revoke.isPending} onClick={() => revoke.mutate(token.id)}>
              Revoke token
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
