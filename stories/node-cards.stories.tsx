import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { portsOf } from '@/components/flow-editor/registry-view';
import { getDefinition, nodeDefinitions } from '@/nodes/registry';
import { CardStory, invalidConfig } from './flow-editor-fixtures';

/** One card per node type of the registry, valid, invalid (half-filled config, lone node) and selected. */
const meta = {
  title: 'Flow editor/Node cards',
  component: CardStory,
  args: { type: 'say', state: 'valid' },
  argTypes: { type: { control: 'select', options: nodeDefinitions.map((d) => d.type) }, state: { control: 'inline-radio', options: ['valid', 'invalid', 'selected'] } },
  // What every card story must show: the type's name, one handle per port, and its state.
  play: async ({ canvasElement, args }) => {
    const definition = getDefinition(args.type);
    if (!definition) throw new Error(`no node type ${args.type}`);
    const card = within(canvasElement).getByTestId(`node-${args.type}-1`);
    await expect(card).toHaveTextContent(definition.label);
    const config = args.state === 'invalid' ? invalidConfig(args.type) : definition.defaults;
    const ports = [...card.querySelectorAll('.node-port')].map((port) => port.getAttribute('data-port'));
    await expect(ports).toEqual(portsOf(definition, config).map((port) => port.id));
    if (args.state === 'invalid') {
      await expect(card).toHaveAttribute('data-state', 'error');
      await expect(Number(within(card).getByTestId(`badge-${args.type}-1`).textContent)).toBeGreaterThan(0);
    } else {
      await expect(card).toHaveAttribute('data-state', 'ok');
    }
    await expect(card.classList.contains('selected')).toBe(args.state === 'selected');
  },
} satisfies Meta<typeof CardStory>;

export default meta;
type Story = StoryObj<typeof meta>;

export const IncomingCallValid: Story = { args: { type: 'incoming-call', state: 'valid' } };
export const IncomingCallInvalid: Story = { args: { type: 'incoming-call', state: 'invalid' } };
export const IncomingCallSelected: Story = { args: { type: 'incoming-call', state: 'selected' } };
export const IncomingSmsValid: Story = { args: { type: 'incoming-sms', state: 'valid' } };
export const IncomingSmsInvalid: Story = { args: { type: 'incoming-sms', state: 'invalid' } };
export const IncomingSmsSelected: Story = { args: { type: 'incoming-sms', state: 'selected' } };
export const SayValid: Story = { args: { type: 'say', state: 'valid' } };
export const SayInvalid: Story = { args: { type: 'say', state: 'invalid' } };
export const SaySelected: Story = { args: { type: 'say', state: 'selected' } };
export const IvrMenuValid: Story = { args: { type: 'ivr-menu', state: 'valid' } };
export const IvrMenuInvalid: Story = { args: { type: 'ivr-menu', state: 'invalid' } };
export const IvrMenuSelected: Story = { args: { type: 'ivr-menu', state: 'selected' } };
export const CollectInputValid: Story = { args: { type: 'collect-input', state: 'valid' } };
export const CollectInputInvalid: Story = { args: { type: 'collect-input', state: 'invalid' } };
export const CollectInputSelected: Story = { args: { type: 'collect-input', state: 'selected' } };
export const TagConditionValid: Story = { args: { type: 'tag-condition', state: 'valid' } };
export const TagConditionInvalid: Story = { args: { type: 'tag-condition', state: 'invalid' } };
export const TagConditionSelected: Story = { args: { type: 'tag-condition', state: 'selected' } };
export const EmotionCheckValid: Story = { args: { type: 'emotion-check', state: 'valid' } };
export const EmotionCheckInvalid: Story = { args: { type: 'emotion-check', state: 'invalid' } };
export const EmotionCheckSelected: Story = { args: { type: 'emotion-check', state: 'selected' } };
export const SplitValid: Story = { args: { type: 'split', state: 'valid' } };
export const SplitInvalid: Story = { args: { type: 'split', state: 'invalid' } };
export const SplitSelected: Story = { args: { type: 'split', state: 'selected' } };
export const RouteToSkillValid: Story = { args: { type: 'route-to-skill', state: 'valid' } };
export const RouteToSkillInvalid: Story = { args: { type: 'route-to-skill', state: 'invalid' } };
export const RouteToSkillSelected: Story = { args: { type: 'route-to-skill', state: 'selected' } };
export const EscalateValid: Story = { args: { type: 'escalate', state: 'valid' } };
export const EscalateInvalid: Story = { args: { type: 'escalate', state: 'invalid' } };
export const EscalateSelected: Story = { args: { type: 'escalate', state: 'selected' } };
export const SendSmsValid: Story = { args: { type: 'send-sms', state: 'valid' } };
export const SendSmsInvalid: Story = { args: { type: 'send-sms', state: 'invalid' } };
export const SendSmsSelected: Story = { args: { type: 'send-sms', state: 'selected' } };
export const SetTagValid: Story = { args: { type: 'set-tag', state: 'valid' } };
export const SetTagInvalid: Story = { args: { type: 'set-tag', state: 'invalid' } };
export const SetTagSelected: Story = { args: { type: 'set-tag', state: 'selected' } };
export const RemoveTagValid: Story = { args: { type: 'remove-tag', state: 'valid' } };
export const RemoveTagInvalid: Story = { args: { type: 'remove-tag', state: 'invalid' } };
export const RemoveTagSelected: Story = { args: { type: 'remove-tag', state: 'selected' } };
export const SetVariableValid: Story = { args: { type: 'set-variable', state: 'valid' } };
export const SetVariableInvalid: Story = { args: { type: 'set-variable', state: 'invalid' } };
export const SetVariableSelected: Story = { args: { type: 'set-variable', state: 'selected' } };
export const EndValid: Story = { args: { type: 'end', state: 'valid' } };
export const EndInvalid: Story = { args: { type: 'end', state: 'invalid' } };
export const EndSelected: Story = { args: { type: 'end', state: 'selected' } };
