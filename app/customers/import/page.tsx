import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { CustomerImport } from '@/components/customers/customer-import';
import { pageViewer } from '@/server/auth/page-viewer';
import { can } from '@/server/auth/permissions';

export const dynamic = 'force-dynamic';

/** CSV import of customers and orders (the proxy lets only roles with `customers.write` open it). */
export default async function CustomerImportPage() {
  const [t, viewer] = await Promise.all([getTranslations('customerImport'), pageViewer()]);
  return (
    <>
      <div className="page-head">
        <h1>{t('title')}</h1>
        {can(viewer?.role, 'customers.read') && <Link href="/customers">{t('back')}</Link>}
      </div>
      <p className="muted">{t('intro')}</p>
      <CustomerImport />
    </>
  );
}
