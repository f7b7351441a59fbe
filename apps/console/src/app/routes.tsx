import { lazy } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { SignInPage } from '../features/auth/SignInPage';
import { Layout } from './Layout';
import { RouteError } from './RouteError';
import { RequireSession } from './session';

// Each view is its own chunk: the first page loads only the shell and itself.
const DashboardPage = lazy(() => import('../features/dashboard/DashboardPage'));
const HistoryPage = lazy(() => import('../features/broadcasts/HistoryPage'));
const BroadcastPage = lazy(() => import('../features/broadcasts/BroadcastPage'));
const ComposePage = lazy(() => import('../features/compose/ComposePage'));
const ComparePage = lazy(() => import('../features/broadcasts/ComparePage'));
const SequencesPage = lazy(() => import('../features/sequences/SequencesPage'));
const SequencePage = lazy(() => import('../features/sequences/SequencePage'));
const ContactsPage = lazy(() => import('../features/contacts/ContactsPage'));
const ContactPage = lazy(() => import('../features/contacts/ContactPage'));
const SequenceBuilderPage = lazy(() => import('../features/sequences/SequenceBuilderPage'));
const ImportPage = lazy(() => import('../features/imports/ImportPage'));
const PeoplePage = lazy(() => import('../features/admin/PeoplePage'));
const TokensPage = lazy(() => import('../features/admin/TokensPage'));
const WebhooksPage = lazy(() => import('../features/admin/WebhooksPage'));
const NotFoundPage = lazy(() => import('./NotFoundPage'));

export const routes: RouteObject[] = [
  { path: '/sign-in', element: <SignInPage />, errorElement: <RouteError /> },
  {
    element: <RequireSession />,
    errorElement: <RouteError />,
    children: [
      {
        element: <Layout />,
        children: [
          { index: true, element: <DashboardPage /> },
          { path: 'broadcasts', element: <HistoryPage /> },
          {
            element: <RequireSession roles={['admin', 'marketer']} />,
            children: [
              { path: 'broadcasts/new', element: <ComposePage /> },
              { path: 'broadcasts/:id/edit', element: <ComposePage /> },
            ],
          },
          { path: 'broadcasts/:id', element: <BroadcastPage /> },
          { path: 'compare', element: <ComparePage /> },
          { path: 'sequences', element: <SequencesPage /> },
          {
            path: 'sequences',
            element: <RequireSession roles={['admin', 'marketer']} />,
            children: [
              { path: 'new', element: <SequenceBuilderPage /> },
              { path: ':id/edit', element: <SequenceBuilderPage /> },
            ],
          },
          { path: 'sequences/:id', element: <SequencePage /> },
          { path: 'contacts', element: <ContactsPage /> },
          { path: 'contacts/:id', element: <ContactPage /> },
          {
            path: 'imports',
            element: <RequireSession roles={['admin', 'marketer']} />,
            children: [{ index: true, element: <ImportPage /> }],
          },
          {
            path: 'admin',
            element: <RequireSession roles={['admin']} />,
            children: [
              { path: 'people', element: <PeoplePage /> },
              { path: 'tokens', element: <TokensPage /> },
              { path: 'webhooks', element: <WebhooksPage /> },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
