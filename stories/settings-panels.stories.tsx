import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { configJsonSchema } from '@/components/flow-editor/settings/json-schema';
import { getDefinition, nodeDefinitions } from '@/nodes/registry';
import { SettingsStory } from './flow-editor-fixtures';

/** The settings panel generated from each node type's zod schema, with its purpose-built editors. */
const meta = {
  title: 'Flow editor/Settings panels',
  component: SettingsStory,
  args: { type: 'say', invalid: false },
  argTypes: { type: { control: 'select', options: nodeDefinitions.map((d) => d.type) } },
  // Every panel shows the type's name and a titled field for every setting; with errors, an error beside a field.
  play: async ({ canvasElement, args }) => {
    const definition = getDefinition(args.type);
    if (!definition) throw new Error(`no node type ${args.type}`);
    const panel = within(canvasElement).getByTestId('node-settings');
    await expect(within(panel).getByRole('heading')).toHaveTextContent(definition.label);
    for (const field of Object.values(configJsonSchema(definition).properties ?? {})) {
      if (field.title) await expect(panel).toHaveTextContent(field.title);
    }
    await expect(panel.querySelectorAll('.field-error').length > 0).toBe(args.invalid === true);
  },
} satisfies Meta<typeof SettingsStory>;

export default meta;
type Story = StoryObj<typeof meta>;

export const IncomingCall: Story = { args: { type: 'incoming-call' } };
export const IncomingSms: Story = { args: { type: 'incoming-sms' } };
export const Say: Story = { args: { type: 'say' } };
export const IvrMenu: Story = { args: { type: 'ivr-menu' } };
export const CollectInput: Story = { args: { type: 'collect-input' } };
export const TagCondition: Story = { args: { type: 'tag-condition' } };
export const EmotionCheck: Story = { args: { type: 'emotion-check' } };
export const Split: Story = { args: { type: 'split' } };
export const RouteToSkill: Story = { args: { type: 'route-to-skill' } };
export const Escalate: Story = { args: { type: 'escalate' } };
export const SendSms: Story = { args: { type: 'send-sms' } };
export const SetTag: Story = { args: { type: 'set-tag' } };
export const RemoveTag: Story = { args: { type: 'remove-tag' } };
export const SetVariable: Story = { args: { type: 'set-variable' } };
export const End: Story = { args: { type: 'end' } };

/** Field errors from the compiler, shown beside the fields they are about. */
export const IvrMenuWithErrors: Story = { args: { type: 'ivr-menu', invalid: true } };
export const SendSmsWithErrors: Story = { args: { type: 'send-sms', invalid: true } };
export const TagConditionWithErrors: Story = { args: { type: 'tag-condition', invalid: true } };
