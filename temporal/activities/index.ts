export { recordPing } from './system';
