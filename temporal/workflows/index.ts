export { experimentGuardWorkflow } from './experiment-guard';
export { handoffWorkflow } from './handoff';
export { pingWorkflow } from './ping';
export { smsConversationWorkflow } from './sms-conversation';
export { tagRulesPassWorkflow } from './tag-rules-pass';
export { voiceCallWorkflow } from './voice-call';
