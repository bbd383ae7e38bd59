import { composeStories } from '@storybook/react-vite';
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import * as preview from '../.storybook/preview';
import * as cards from './node-cards.stories';
import * as panels from './settings-panels.stories';
import * as editor from './flow-editor.stories';

afterEach(cleanup);

describe('node card stories', () => {
  const { IvrMenuValid, IvrMenuInvalid, SendSmsSelected } = composeStories(cards, preview as never);

  it('show one labelled handle per port', () => {
    const { container, getByText } = render(<IvrMenuValid />);
    expect([...container.querySelectorAll('.node-port')].map((p) => p.getAttribute('data-port'))).toEqual(['option-1', 'option-2', 'timeout', 'invalid']);
    expect(getByText('Sales')).toBeTruthy();
    expect(container.querySelector('[data-state="ok"]')).toBeTruthy();
  });

  it('show the problem count on an invalid card', () => {
    const { getByTestId } = render(<IvrMenuInvalid />);
    expect(getByTestId('node-ivr-menu-1').getAttribute('data-state')).toBe('error');
    expect(Number(getByTestId('badge-ivr-menu-1').textContent)).toBeGreaterThan(0);
  });

  it('mark the selected card', () => {
    const { getByTestId } = render(<SendSmsSelected />);
    expect(getByTestId('node-send-sms-1').className).toContain('selected');
  });
});

describe('settings panel stories', () => {
  const { IvrMenu, SendSmsWithErrors, RouteToSkill } = composeStories(panels, preview as never);

  it('render the IVR options table with a row per option', () => {
    const { getAllByTestId, getByTestId } = render(<IvrMenu />);
    expect(getAllByTestId('table-row')).toHaveLength(2);
    expect(getByTestId('add-row-options')).toBeTruthy();
  });

  it('offer skills from the pickers', () => {
    const { container } = render(<RouteToSkill />);
    const options = [...container.querySelectorAll('select option')].map((o) => o.textContent);
    expect(options).toEqual(expect.arrayContaining(['Billing', 'General']));
  });

  it('show compiler errors beside the field', () => {
    const { getByTestId } = render(<SendSmsWithErrors />);
    expect(getByTestId('field-error-body').textContent).toMatch(/required/);
  });
});

describe('editor panel stories', () => {
  const { Diff, Versions } = composeStories(editor, preview as never);

  it('list added, removed and changed nodes with the changed fields', () => {
    const { getAllByTestId } = render(<Diff />);
    expect(getAllByTestId('diff-added')[0]?.textContent).toContain('survey');
    expect(getAllByTestId('diff-removed')[0]?.textContent).toContain('goodbye');
    expect(getAllByTestId('diff-changed')[0]?.textContent).toContain('config.text');
  });

  it('offer rollback on versions that are not live', () => {
    const { queryByTestId, getByTestId } = render(<Versions />);
    expect(getByTestId('rollback-1')).toBeTruthy();
    expect(queryByTestId('rollback-2')).toBeNull();
  });
});
