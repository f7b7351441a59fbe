import { Box, Mark, Paper, Stack, Text } from '@mantine/core';
import type { Bubble, Segment } from './bubble';

function Segments({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.variable ? (
          <Mark key={i} color={s.rendered ? 'teal.1' : 'yellow.2'} c="dark.9" title={`variable ${s.variable}`} data-variable={s.variable}>
            {s.text}
          </Mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}

/** The message as WhatsApp shows it: a chat bubble with header, body (variables marked), footer and buttons. */
export function MessageBubble({ bubble, label }: { bubble: Bubble; label: string }) {
  return (
    <Box bg="#e5ddd5" p="md" style={{ borderRadius: 8 }} role="figure" aria-label={label}>
      <Paper shadow="xs" p="sm" maw={360} style={{ borderRadius: '0 8px 8px 8px' }} bg="white">
        <Stack gap={6}>
          {bubble.header?.kind === 'media' && (
            <Box bg="gray.2" p="md" style={{ borderRadius: 6 }} data-testid="bubble-media">
              <Text size="sm" fw={600} c="dark.7">
                {bubble.header.format.toLowerCase()} header
              </Text>
              <Text size="xs" c="dark.6" style={{ wordBreak: 'break-all' }}>
                {bubble.header.url ?? 'URL per contact, set below'}
              </Text>
            </Box>
          )}
          {bubble.header?.kind === 'text' && (
            <Text fw={700} size="sm" c="dark.9">
              <Segments segments={bubble.header.segments} />
            </Text>
          )}
          <Text size="sm" c="dark.9" style={{ whiteSpace: 'pre-wrap' }} data-testid="bubble-body">
            <Segments segments={bubble.body} />
          </Text>
          {bubble.footer && (
            <Text size="xs" c="dark.5">
              {bubble.footer}
            </Text>
          )}
        </Stack>
      </Paper>
      {bubble.buttons.length > 0 && (
        <Stack gap={4} mt={4} maw={360}>
          {bubble.buttons.map((b, i) => (
            <Paper key={i} p={6} ta="center" bg="white" style={{ borderRadius: 8 }}>
              <Text size="sm" c="blue.9">
                {b.text}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Box>
  );
}
