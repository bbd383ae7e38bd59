export { checkExperimentGuardrails } from './analytics';
export { recordPing } from './system';
export { advanceHandoff } from './routing';
export { loadContext, recordInboundSms, recordProgress, runNodeActivity, scoreEmotion, sendSms } from './runtime';
export { runTagRulesPass } from './tags';
