import { Alert, Anchor, Container, Title } from '@mantine/core';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** What a view that crashed shows instead of a blank page. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <Container size="sm" py="xl">
      <Title order={1} size="h2" mb="md">
        Something went wrong
      </Title>
      <Alert color="red" title="This page could not be shown" role="alert" mb="md">
        {message}
      </Alert>
      <Anchor component={Link} to="/">
        Back to the dashboard
      </Anchor>
    </Container>
  );
}
