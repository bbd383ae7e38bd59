export { recordPing } from './system';
export { loadContext, recordInboundSms, recordProgress, runNodeActivity, scoreEmotion, sendSms } from './runtime';
