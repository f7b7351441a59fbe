import { Badge, Button, Group, Modal, Paper, PasswordInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { Role, User } from '../../api/types';
import { CursorPager, useCursorPages } from '../../components/CursorPager';
import { DateTime } from '../../components/DateTime';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState, ErrorState, PageLoading } from '../../components/PageState';
import { useMe } from '../../app/session';
import { isRole, roleOptions, shortRoleOptions } from './roles';

const PAGE_SIZE = 50;
const USERS_KEY = ['users'] as const;
/** The API's rule (CreateUserDto): at least this many characters. */
export const MIN_PASSWORD = 10;

/** Admins only (the route and the API both say so): who may sign in, with which role. */
export default function PeoplePage() {
  const pages = useCursorPages('people');
  const [adding, { open, close }] = useDisclosure(false);
  const [settingPassword, setSettingPassword] = useState<User | null>(null);
  const list = useQuery({
    queryKey: [...USERS_KEY, pages.cursor],
    queryFn: () => unwrap(api.GET('/v1/users', { params: { query: { limit: PAGE_SIZE, ...pages.cursorParam } } })),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader
        title="People"
        subtitle="Who signs in to the console, and what their role lets them do"
        actions={<Button onClick={open}>Add a person</Button>}
      />
      <AddPersonModal opened={adding} onClose={close} />
      <SetPasswordModal user={settingPassword} onClose={() => setSettingPassword(null)} />
      <Paper withBorder p="md">
        {list.isPending ? (
          <PageLoading label="Loading people…" />
        ) : list.isError ? (
          <ErrorState error={list.error} />
        ) : list.data.data.length === 0 ? (
          <EmptyState>Nobody signs in yet: add a person.</EmptyState>
        ) : (
          <>
            <Table.ScrollContainer minWidth={760}>
              <Table striped aria-label="People" aria-busy={list.isFetching}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Email</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Last signed in</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.data.map((user) => (
                    <PersonRow key={user.id} user={user} onSetPassword={() => setSettingPassword(user)} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <CursorPager pages={pages} nextCursor={list.data.nextCursor} label="People pages" />
          </>
        )}
      </Paper>
    </>
  );
}

function useUpdateUser(user: User) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: { role?: Role; disabled?: boolean }) =>
      unwrap(api.PATCH('/v1/users/{id}', { params: { path: { id: user.id } }, body: patch })),
    onSuccess: (updated, patch) => {
      void client.invalidateQueries({ queryKey: USERS_KEY });
      const what =
        patch.disabled === true
          ? `${updated.name} is disabled and signed out everywhere`
          : patch.disabled === false
            ? `${updated.name} may sign in again`
            : `${updated.name} is now ${updated.role}`;
      notifications.show({ color: 'green', title: 'Saved', message: what });
    },
    onError: (error) => notifications.show({ color: 'red', title: `Could not change ${user.name}`, message: error.message }),
  });
}

function PersonRow({ user, onSetPassword }: { user: User; onSetPassword: () => void }) {
  const me = useMe().data;
  const self = me?.id === user.id;
  const update = useUpdateUser(user);
  // The API refuses an admin's demoting or disabling themselves: the controls say so up front.
  const lockedReason = self ? 'You cannot change your own role or disable yourself' : undefined;
  return (
    <Table.Tr data-testid="person-row">
      <Table.Td>
        <Text size="sm" fw={500}>
          {user.name}
          {self && (
            <Text span size="xs" c="dimmed">
              {' '}
              (you)
            </Text>
          )}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{user.email}</Text>
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={`Role of ${user.name}`}
          data={shortRoleOptions}
          value={user.role}
          allowDeselect={false}
          disabled={self || update.isPending}
          title={lockedReason}
          onChange={(role) => isRole(role) && role !== user.role && update.mutate({ role })}
          w={130}
          size="xs"
        />
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={user.disabled ? 'gray' : 'green'} c="dark.7" miw="max-content">
          {user.disabled ? 'disabled' : 'active'}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{user.lastSignInAt ? <DateTime value={user.lastSignInAt} /> : 'never'}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Button size="xs" variant="default" aria-label={`Set password for ${user.name}`} onClick={onSetPassword}>
            Set password
          </Button>
          {!self && (
            <Button
              size="xs"
              variant="default"
              color={user.disabled ? undefined : 'red'}
              loading={update.isPending}
              aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.name}`}
              onClick={() => update.mutate({ disabled: !user.disabled })}
            >
              {user.disabled ? 'Enable' : 'Disable'}
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function AddPersonModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('analyst');
  const [password, setPassword] = useState('');
  const reset = () => {
    setName('');
    setEmail('');
    setRole('analyst');
    setPassword('');
    create.reset();
  };
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/users', { body: { name: name.trim(), email: email.trim(), role, password } })),
    onSuccess: (user) => {
      void client.invalidateQueries({ queryKey: USERS_KEY });
      notifications.show({ color: 'green', title: 'Person added', message: `${user.name} (${user.role}) can sign in as ${user.email}` });
      reset();
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const shortPassword = password.length > 0 && password.length < MIN_PASSWORD;
  return (
    <Modal
      opened={opened}
      onClose={() => {
        reset();
        onClose();
      }}
      title="Add a person"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {create.isError && (
            <Text c="red.8" size="sm" role="alert">
              {create.error.message}
            </Text>
          )}
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
          <TextInput
            label="Email"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            autoComplete="off"
          />
          <Select label="Role" data={roleOptions} value={role} allowDeselect={false} onChange={(v) => isRole(v) && setRole(v)} />
          <PasswordInput
            label="Password"
            description={`At least ${MIN_PASSWORD} characters; tell it to them yourself`}
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={shortPassword ? `At least ${MIN_PASSWORD} characters` : undefined}
            autoComplete="new-password"
          />
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending} disabled={!name.trim() || !email.trim() || password.length < MIN_PASSWORD}>
              Add person
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A new password for someone who lost theirs; the API ends their other sessions. */
function SetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const close = () => {
    setPassword('');
    save.reset();
    onClose();
  };
  const save = useMutation({
    mutationFn: (id: number) => unwrap(api.PATCH('/v1/users/{id}', { params: { path: { id } }, body: { password } })),
    onSuccess: (updated) => {
      notifications.show({
        color: 'green',
        title: 'Password set',
        message: `${updated.name} signs in with the new password; their other sessions ended`,
      });
      close();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (user) save.mutate(user.id);
  };
  return (
    <Modal opened={!!user} onClose={close} title={user ? `Set a password for ${user.name}` : 'Set a password'}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {save.isError && (
            <Text c="red.8" size="sm" role="alert">
              {save.error.message}
            </Text>
          )}
          <PasswordInput
            label="New password"
            description={`At least ${MIN_PASSWORD} characters; their other sessions end`}
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoComplete="new-password"
            data-autofocus
          />
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} disabled={password.length < MIN_PASSWORD}>
              Set password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
