import { AppShell, Badge, Burger, Button, Group, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import type { Role } from '../api/types';
import { PageLoading } from '../components/PageState';
import { ME_KEY, useMe, useUnauthorizedRedirect } from './session';

interface NavItem {
  to: string;
  label: string;
  roles?: Role[];
  /** Other paths under this item (e.g. a broadcast under the history). */
  prefix?: string;
}

/** The navigation, by role: admins also see people, API tokens and webhooks. */
export const NAV: NavItem[] = [
  { to: '/', label: 'Dashboard' },
  { to: '/broadcasts', label: 'Broadcasts', prefix: '/broadcasts' },
  { to: '/compare', label: 'Compare' },
  { to: '/sequences', label: 'Sequences', prefix: '/sequences' },
  { to: '/imports', label: 'Import contacts', roles: ['admin', 'marketer'] },
  { to: '/admin/people', label: 'People', roles: ['admin'] },
  { to: '/admin/tokens', label: 'API tokens', roles: ['admin'] },
  { to: '/admin/webhooks', label: 'Webhooks', roles: ['admin'] },
];

export function navFor(role: Role): NavItem[] {
  return NAV.filter((item) => !item.roles || item.roles.includes(role));
}

export function Layout() {
  const me = useMe().data;
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  useUnauthorizedRedirect();

  const signOut = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/auth/logout')),
    onSettled: () => {
      navigate('/sign-in', { replace: true });
      client.clear();
      client.setQueryData(ME_KEY, null);
    },
  });

  // Signed out (here or by a 401): RequireSession is taking this page away.
  if (!me) return null;

  const active = (item: NavItem) =>
    item.to === '/'
      ? location.pathname === '/'
      : location.pathname === item.to || (!!item.prefix && location.pathname.startsWith(`${item.prefix}/`));

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text fw={700} size="lg" component={Link} to="/" c="inherit" td="none">
              Clarion
            </Text>
          </Group>
          <Group gap="sm">
            <Stack gap={0} align="flex-end" visibleFrom="xs">
              <Text size="sm" fw={500} data-testid="signed-in-as">
                {me.name}
              </Text>
              {me.email && (
                <Text size="xs" c="dimmed">
                  {me.email}
                </Text>
              )}
            </Stack>
            <Badge variant="light" color="gray" data-testid="role">
              {me.role}
            </Badge>
            {me.via === 'session' && (
              <Button variant="default" size="xs" onClick={() => signOut.mutate()} loading={signOut.isPending}>
                Sign out
              </Button>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        <ScrollArea>
          {navFor(me.role).map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              active={active(item)}
              onClick={close}
              aria-current={active(item) ? 'page' : undefined}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
