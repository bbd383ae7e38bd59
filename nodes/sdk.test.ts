import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FIELD_WIDGETS } from './sdk';

describe('field widget metadata', () => {
  it('accepts the declared widgets only, and carries them into the JSON Schema the form reads', () => {
    // @ts-expect-error -- a misspelt widget is a type error; `npm run typecheck` fails once it is not.
    const misspelt = z.string().meta({ title: 'Tag', widget: 'tagz' });
    const tags = z.string().meta({ title: 'Tag', widget: 'tags' });
    expect(z.toJSONSchema(tags)).toMatchObject({ title: 'Tag', widget: 'tags' });
    // At run time zod keeps whatever it is given; only the type check stops the typo.
    expect(z.toJSONSchema(misspelt)).toMatchObject({ widget: 'tagz' });
    expect(new Set(FIELD_WIDGETS).size).toBe(FIELD_WIDGETS.length);
  });
});
