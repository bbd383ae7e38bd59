import type { Meta, StoryObj } from '@storybook/react-vite';
import { useState } from 'react';
import { expect, userEvent, within } from 'storybook/test';
import { ConditionBuilder } from '@/components/settings/tags/condition-builder';
import { buildRule, conditionToDraft, emptyDraft, validateDraft } from '@/components/settings/tags/draft';
import '@/components/settings/tags/tag-rules.css';
import type { Condition } from '@/server/tags/rules';

/** The condition tree of a tag rule, with the JSON it builds and (optionally) the schema's issues beside their rows. */
function BuilderStory({ condition, showIssues }: { condition?: Condition; showIssues?: boolean }) {
  const [draft, setDraft] = useState(() => (condition ? { ...emptyDraft(), name: 'Story', tag: 'story', condition: conditionToDraft(condition) } : emptyDraft()));
  const validation = validateDraft(draft);
  return (
    <form className="card settings-form tag-rule-form" method="post" onSubmit={(e) => e.preventDefault()}>
      <ConditionBuilder value={draft.condition} onChange={(c) => setDraft((d) => ({ ...d, condition: c }))} issues={showIssues && !validation.ok ? validation.issues : []} />
      <pre data-testid="built">{JSON.stringify(buildRule(draft).rule.condition)}</pre>
    </form>
  );
}

const meta = { title: 'Settings/Tag rule condition', component: BuilderStory } satisfies Meta<typeof BuilderStory>;
export default meta;
type Story = StoryObj<typeof meta>;

/** A new rule: one row; picking a fact shows only its inputs, and the row builds the test alone. */
export const SaidBabyFormula: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const row = canvas.getByRole('group', { name: 'Condition 1' });
    await userEvent.selectOptions(within(row).getByLabelText('Fact'), 'Said or wrote');
    await userEvent.type(within(row).getByLabelText('Keywords'), '奶粉, baby formula');
    await userEvent.clear(within(row).getByLabelText('Times'));
    await userEvent.type(within(row).getByLabelText('Times'), '2');
    await expect(canvas.getByTestId('built')).toHaveTextContent('{"fact":"keyword","keywords":["奶粉","baby formula"],"withinDays":30,"op":">=","value":2}');
    await userEvent.selectOptions(within(row).getByLabelText('Fact'), 'Count');
    await userEvent.selectOptions(within(row).getByLabelText('Count of'), 'Events');
    await expect(within(row).getByLabelText('Event kind')).toBeInTheDocument();
    await expect(within(row).queryByLabelText('Keywords')).toBeNull();
  },
};

/** Groups nest; "None of" several is the negation of "Any of" them. */
export const NestedGroups: Story = {
  args: { condition: { all: [{ fact: 'age', op: '>=', value: 65 }, { not: { any: [{ fact: 'tag', tag: 'vip', present: true }, { fact: 'spend', withinDays: 30, op: '>', value: 0 }] } }] } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('group', { name: 'Group 2' })).toBeInTheDocument();
    await expect(canvas.getByLabelText('Match, group 2')).toHaveValue('none');
    await userEvent.click(canvas.getByRole('button', { name: 'Add condition to group 2' }));
    await expect(canvas.getByRole('group', { name: 'Condition 2.3' })).toBeInTheDocument();
    await userEvent.click(canvas.getByRole('button', { name: 'Remove group 2' }));
    await expect(canvas.getByTestId('built')).toHaveTextContent('{"fact":"age","op":">=","value":65}');
  },
};

/** The schema's issues beside the row and input they are about. */
export const WithIssues: Story = {
  args: { showIssues: true, condition: { all: [{ fact: 'keyword', keywords: ['奶粉'], withinDays: 30, op: '>=', value: 2 }, { any: [] }] } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('group', { name: 'Group 2' })).toHaveTextContent('a group needs at least one condition');
    const row = canvas.getByRole('group', { name: 'Condition 1' });
    await userEvent.clear(within(row).getByLabelText('Keywords'));
    await expect(row).toHaveTextContent('Keywords:');
    await expect(within(row).getByLabelText('Keywords')).toHaveAttribute('aria-invalid', 'true');
  },
};
