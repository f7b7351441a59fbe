import { Button, Code, CopyButton, Group } from '@mantine/core';

/** A secret the API shows only once (a token, a signing secret): the value, a copy button and Done. */
export function ShownOnceSecret({
  value,
  testId,
  copyLabel,
  onDone,
}: {
  value: string;
  testId: string;
  copyLabel: string;
  onDone: () => void;
}) {
  return (
    <>
      <Code block data-testid={testId} style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
        {value}
      </Code>
      <Group justify="flex-end">
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button variant={copied ? 'light' : 'filled'} color={copied ? 'green' : undefined} onClick={copy}>
              {copied ? 'Copied' : copyLabel}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" onClick={onDone}>
          Done
        </Button>
      </Group>
    </>
  );
}
