import { trpcRoute } from '@/server/trpc-route';

const handler = trpcRoute();

export { handler as GET, handler as POST };
