import { z } from 'zod';
import type { FieldWidget, Language } from '@/nodes/sdk';

/**
 * Config field builders shared by the node types. Every field carries `.meta()` form metadata
 * (`title`, `description`, optional `widget` from `FIELD_WIDGETS`) so the settings panel can be generated from the schema.
 */

export const LANGUAGES = ['en-US', 'zh-CN'] as const satisfies readonly Language[];
// Fails to compile when the SDK grows a language this list does not have.
const everyLanguageListed: Exclude<Language, (typeof LANGUAGES)[number]> extends never ? true : false = true;
void everyLanguageListed;

export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const E164 = /^\+[1-9]\d{1,14}$/;

export function languageField() {
  return z.enum(LANGUAGES).default('en-US').meta({ title: 'Language', description: 'Language of the prompts and of speech recognition' });
}

export function voiceField() {
  return z
    .string()
    .max(64)
    .optional()
    .meta({ title: 'Voice', description: 'Text-to-speech voice; empty uses the default voice for the language', widget: 'voice' });
}

export function templateField(title: string, description: string, options: { min?: number; max?: number; widget?: Extract<FieldWidget, 'template' | 'textarea'> } = {}) {
  return z
    .string()
    .trim()
    .min(options.min ?? 0, `${title} is required`)
    .max(options.max ?? 1000)
    .meta({ title, description, widget: options.widget ?? 'template' });
}

export const tagSchema = z.string().trim().min(1, 'a tag cannot be empty').max(64);

export function tagsField(title: string, description: string) {
  return z.array(tagSchema).min(1, 'add at least one tag').max(50).meta({ title, description, widget: 'tags' });
}

export function identifierField(title: string, description: string) {
  return z
    .string()
    .regex(IDENTIFIER, 'letters, digits and _ only, not starting with a digit')
    .max(64)
    .meta({ title, description });
}

export const e164Schema = z.string().regex(E164, 'a phone number in E.164 form, e.g. +14155550100');

export function timeoutField(title: string, description: string, defaultSeconds: number, max: number) {
  return z.number().int().min(1).max(max).default(defaultSeconds).meta({ title, description });
}

/** Shortens text for one-line card summaries. */
export function clip(text: string, max = 48): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
