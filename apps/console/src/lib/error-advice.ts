/**
 * What a failure's error code means and what to do about it, for the broadcast page. Titles are
 * Meta's (its "Error codes" page for the WhatsApp Business Platform); the advice is Clarion's.
 * Codes Clarion gives itself are negative (a connection error, a timeout, an HTTP error without a
 * WhatsApp error body).
 */
export interface ErrorAdvice {
  title: string;
  advice: string;
}

const ADVICE: ReadonlyMap<number, ErrorAdvice> = new Map([
  [
    131026,
    {
      title: 'Message Undeliverable',
      advice:
        'The number is not on WhatsApp, has not accepted the latest terms, or runs an old app. Check the number; a retry fails again, so Clarion leaves these out of retries.',
    },
  ],
  [
    131047,
    {
      title: 'Re-engagement message',
      advice: 'More than 24 hours passed since the person last wrote. Only an approved template can reach them: send one.',
    },
  ],
  [
    131049,
    {
      title: 'This message was not delivered to maintain healthy ecosystem engagement',
      advice:
        'Meta capped how many marketing messages this person gets. Do not retry at once: Clarion waits 24 hours; fewer, more relevant marketing sends help.',
    },
  ],
  [
    131050,
    {
      title: 'User has stopped marketing messages',
      advice: 'The person turned off marketing messages from you in WhatsApp. Treat it as an opt-out: a retry fails again.',
    },
  ],
  [
    131051,
    { title: 'Unsupported message type', advice: 'The message type is not supported. Check the template and its header media type.' },
  ],
  [
    130472,
    {
      title: "User's number is part of an experiment",
      advice: 'Meta held back this marketing message as part of an experiment. Nothing to fix; it is not charged.',
    },
  ],
  [
    131031,
    {
      title: 'Account has been locked',
      advice:
        'The business account was locked for a policy violation or data that could not be verified. Check Business Support in Meta Business Suite and appeal there.',
    },
  ],
  [
    132000,
    {
      title: 'Template Param Count Mismatch',
      advice: "The variables given do not match the template's placeholders. Fix the broadcast's variables and retry the failures.",
    },
  ],
  [
    132001,
    {
      title: 'Template does not exist',
      advice: 'The template is missing in that language, or not approved yet. Sync templates and check the name and language.',
    },
  ],
  [
    132012,
    {
      title: 'Template Parameter Format Mismatch',
      advice: 'A variable has the wrong format for its placeholder (e.g. a header media URL). Fix the variables and retry.',
    },
  ],
  [
    132015,
    {
      title: 'Template is Paused',
      advice:
        'Meta paused the template for low quality. Edit it to improve it, or send another template; retry the failures once it is active.',
    },
  ],
  [132016, { title: 'Template is Disabled', advice: 'Meta disabled the template for low quality. Create a new template and send that.' }],
  [
    132018,
    {
      title: 'Template Parameter Issue',
      advice:
        'A variable holds new lines, tabs or more than four spaces in a row, or is too long. Clean the contact data or the variables.',
    },
  ],
  [131000, { title: 'Something went wrong', advice: 'An error on Meta’s side. Clarion retried it; retry the failures later.' }],
  [131016, { title: 'Service unavailable', advice: 'WhatsApp was unavailable. Retry the failures later.' }],
  [
    131048,
    {
      title: 'Spam rate limit hit',
      advice:
        'Too many people blocked or reported your messages: Clarion paused the sender’s broadcasts. Check the number’s quality rating and send to people who asked for it.',
    },
  ],
  [
    131056,
    {
      title: '(Business Account, Consumer Account) pair rate limit hit',
      advice: 'Too many messages to this one person in a short time. Clarion retries later; nothing to fix.',
    },
  ],
  [
    130429,
    {
      title: 'Rate limit hit',
      advice: 'The number’s throughput was reached. Clarion slows down and retries; lower the sender’s cap if it persists.',
    },
  ],
  [
    368,
    {
      title: 'Temporarily blocked for policies violations',
      advice: 'The business was blocked for violating WhatsApp policies. See Account Quality in Meta Business Suite.',
    },
  ],
  [190, { title: 'Access token has expired', advice: 'The sender’s access token expired or was revoked. Give the sender a new token.' }],
  [
    -1,
    {
      title: 'Connection error',
      advice: 'Clarion could not reach the WhatsApp API (refused, reset, DNS or TLS). Check the network, then retry the failures.',
    },
  ],
  [
    -2,
    {
      title: 'Timeout',
      advice: 'The WhatsApp API did not answer in time. The message may have gone out: its webhook tells. Retry the rest later.',
    },
  ],
  [
    -3,
    {
      title: 'HTTP error without a WhatsApp error',
      advice: 'Something between Clarion and WhatsApp (a proxy or gateway) answered with an error. Check it, then retry.',
    },
  ],
]);

/**
 * Title and advice for a failure's code. The title is Meta's from the table when the code is known,
 * else the one recorded with the failure; codes with no advice get a general one.
 */
export function errorAdvice(code: number | null, recordedTitle: string | null = null): ErrorAdvice {
  const known = code === null ? undefined : ADVICE.get(code);
  if (known) return known;
  if (code !== null && code >= 200 && code <= 299) {
    return {
      title: recordedTitle ?? 'API Permission',
      advice: 'The sender’s token lacks a permission. Check its app permissions in Meta.',
    };
  }
  return {
    title: recordedTitle ?? (code === null ? 'Unknown error' : `Error ${code}`),
    advice: 'See Meta’s error codes page for this code; the recipients list has each failure’s details.',
  };
}

export function hasSpecificAdvice(code: number | null): boolean {
  return code !== null && ADVICE.has(code);
}
