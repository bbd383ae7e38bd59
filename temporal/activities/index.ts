export { recordPing } from './system';
export { createHandoff, loadContext, recordInboundSms, recordProgress, runNodeActivity, scoreEmotion, sendSms, setCustomerTags } from './runtime';
