import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { VOICES } from '@/nodes/shared/voice';
import { SettingsStory } from './flow-editor-fixtures';

/** The purpose-built editors a field asks for with `.meta({ widget })`, in a node's settings. */
const meta = {
  title: 'Flow editor/Field widgets',
  component: SettingsStory,
  args: { type: 'say' },
} satisfies Meta<typeof SettingsStory>;

export default meta;
type Story = StoryObj<typeof meta>;

const optionsOf = (select: HTMLElement) => [...select.querySelectorAll('option')].map((option) => option.textContent);

/** `voice`: the voices of the node's language, following the language field as it changes. */
export const Voice: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const voice = canvas.getByLabelText('Voice');
    await expect(optionsOf(voice)).toEqual(['Default for the language (Polly.Joanna)', ...VOICES['en-US'], 'Another voice…']);
    await userEvent.selectOptions(voice, 'Polly.Matthew');
    await expect(voice).toHaveValue('Polly.Matthew');

    await userEvent.selectOptions(canvas.getByLabelText('Language'), 'zh-CN');
    await expect(optionsOf(voice)).toEqual(['Default for the language (Polly.Zhiyu)', ...VOICES['zh-CN'], 'Another voice…']);
    // Polly.Matthew is no voice for Chinese: it is kept, and shown as a voice of its own.
    await expect(voice).toHaveValue('other voice');
    await expect(canvas.getByLabelText('Voice name')).toHaveValue('Polly.Matthew');

    await userEvent.selectOptions(voice, '');
    await expect(canvas.queryByLabelText('Voice name')).toBeNull();
  },
};

/** `voice` with a voice the list does not know, typed in. */
export const VoiceTypedIn: Story = {
  args: { config: { voice: 'Google.en-US-Neural2-F' } },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByLabelText('Voice')).toHaveValue('other voice');
    const name = canvas.getByLabelText('Voice name');
    await expect(name).toHaveValue('Google.en-US-Neural2-F');
    await userEvent.clear(name);
    await userEvent.type(name, 'Polly.Amy');
    await expect(canvas.getByLabelText('Voice name')).toHaveValue('Polly.Amy');
  },
};

/** `word-list` (spoken keywords): free words as chips, without the tag suggestions `tags` offers. */
export const WordList: Story = {
  args: { type: 'ivr-menu' },
  play: async ({ canvasElement }) => {
    const words = within(canvasElement).getByTestId('words-options[0].keywords');
    await expect([...words.querySelectorAll('.chip')].map((chip) => chip.firstChild?.textContent)).toEqual(['sales', 'buy', '购买']);
    const input = within(words).getByPlaceholderText('Add a word…');
    await expect(input).not.toHaveAttribute('list');
    await userEvent.type(input, 'offer{Enter}');
    await expect(words).toHaveTextContent('offer');
  },
};

/** `tags` on a list: customer tags, suggested from the tags the database knows. */
export const TagList: Story = {
  args: { type: 'set-tag' },
  play: async ({ canvasElement }) => {
    const tags = within(canvasElement).getByTestId('tags-tags');
    const input = within(tags).getByPlaceholderText('Add a tag…');
    const suggestions = canvasElement.ownerDocument.getElementById(input.getAttribute('list') ?? '');
    await expect([...(suggestions?.querySelectorAll('option') ?? [])].map((option) => option.getAttribute('value'))).toEqual(['vip', 'elderly', 'complaint-risk']);
  },
};
