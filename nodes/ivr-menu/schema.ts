import { z } from 'zod';
import { languageField, tagSchema, templateField, timeoutField, voiceField } from '@/nodes/shared/fields';
import { KEYPAD } from '@/nodes/shared/match';
import { INPUT_MODES } from './common';

/** Config fields every version of the menu has; a version extends the option with its own fields. */

const keySchema = z.enum(KEYPAD);

export const optionFields = {
  digit: keySchema.meta({ title: 'Key', description: 'The key the caller presses: 0–9, * or #' }),
  label: z.string().trim().min(1, 'an option needs a label').max(60).meta({ title: 'Label', description: 'Shown on the output port' }),
  keywords: z
    .array(z.string().trim().min(1).max(60))
    .max(30)
    .default([])
    .meta({ title: 'Spoken keywords', description: 'Words that pick this option when spoken or texted (English or Chinese)', widget: 'word-list' }),
};

const overrideSchema = z.object({
  tag: tagSchema.meta({ title: 'Customer tag', description: 'Applies when the customer has this tag', widget: 'tags' }),
  prompt: templateField('Prompt', 'Used instead of the menu prompt; empty keeps it', { max: 1600 }).optional(),
  slow: z.boolean().default(false).meta({ title: 'Speak slowly', description: 'Pause after every sentence' }),
  skipToDigit: keySchema.optional().meta({ title: 'Skip to option', description: 'Leave by this option at once without asking' }),
});

/** The menu's config schema with `option` as the schema of one option. */
export function menuSchema<O extends z.ZodObject<typeof optionFields>>(option: O) {
  return z
    .object({
      prompt: templateField('Prompt', 'The menu read to the caller', { min: 1, max: 1600 }),
      options: z.array(option).min(1, 'add at least one option').max(12).meta({
        title: 'Options',
        description: 'One output per option',
        widget: 'options-table',
      }),
      input: z.enum(INPUT_MODES).default('both').meta({ title: 'Input', description: 'Keypad, speech, or both' }),
      timeoutSeconds: timeoutField('Timeout (seconds)', 'How long to wait for an answer', 5, 60),
      retries: z.number().int().min(0).max(5).default(2).meta({ title: 'Retries', description: 'How many more times to ask after no or an unknown answer' }),
      rePrompt: templateField('Re-prompt', 'Said before the menu is repeated', { max: 1000 }).default("Sorry, I didn't get that."),
      language: languageField(),
      voice: voiceField(),
      tagOverrides: z.array(overrideSchema).max(20).default([]).meta({
        title: 'Per-tag behaviour',
        description: 'The first row whose tag the customer has applies',
      }),
    })
    .superRefine((config, issues) => {
      const seen = new Set<string>();
      config.options.forEach((entry, index) => {
        if (seen.has(entry.digit)) issues.addIssue({ code: 'custom', message: `key ${entry.digit} is used twice`, path: ['options', index, 'digit'] });
        seen.add(entry.digit);
      });
      config.tagOverrides.forEach((override, index) => {
        if (override.skipToDigit !== undefined && !seen.has(override.skipToDigit)) {
          issues.addIssue({ code: 'custom', message: `no option uses key ${override.skipToDigit}`, path: ['tagOverrides', index, 'skipToDigit'] });
        }
      });
    });
}

export const MENU_DEFAULTS = {
  prompt: 'For sales, press 1 or say sales. For support, press 2 or say support.',
  input: 'both',
  timeoutSeconds: 5,
  retries: 2,
  rePrompt: "Sorry, I didn't get that.",
  language: 'en-US',
  tagOverrides: [],
} as const;

export const MENU_PORT_LABELS = { timeout: 'No answer', invalid: 'Not understood' } as const;
