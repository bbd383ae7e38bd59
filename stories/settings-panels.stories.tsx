import type { Meta, StoryObj } from '@storybook/react-vite';
import { nodeDefinitions } from '@/nodes/registry';
import { SettingsStory } from './flow-editor-fixtures';

/** The settings panel generated from each node type's zod schema, with its purpose-built editors. */
const meta = {
  title: 'Flow editor/Settings panels',
  component: SettingsStory,
  args: { type: 'say', invalid: false },
  argTypes: { type: { control: 'select', options: nodeDefinitions.map((d) => d.type) } },
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
