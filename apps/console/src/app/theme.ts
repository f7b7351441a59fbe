import { createTheme, type CSSVariablesResolver, Modal, Notification } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'teal',
  // The darkest shade: white on teal.8 is 3.9:1, on teal.9 5.0:1 (WCAG AA wants 4.5:1 for text on
  // filled buttons).
  primaryShade: 9,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'sm',
  components: {
    // Mantine's close button is an icon alone: without a name a screen reader says only "button".
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // Likewise a notification's; and its text under a title is gray.6 (3.3:1 on white), gray.7 passes AA.
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Close notification' } },
      styles: { description: { color: 'var(--mantine-color-gray-7)' } },
    }),
  },
});

/**
 * Mantine's dimmed grey is too light on grey backgrounds for WCAG AA; one shade darker passes. The
 * light variant (the active navigation link) puts teal.9 text on teal.1 (4.3:1); on teal.0 it is 4.8:1.
 */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7],
    '--mantine-color-teal-light': t.colors.teal[0],
    // A picker's placeholder ("Any day") is an element, not ::placeholder: gray.6 is 3.3:1 on white, this 4.8:1.
    '--mantine-color-placeholder': '#6b7280',
  },
  dark: {},
});
