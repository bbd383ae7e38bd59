import { authRoute } from '@/server/auth/auth-route';

const handler = authRoute();

export { handler as GET, handler as POST };
