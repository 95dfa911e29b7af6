import { useState } from 'react';
import { useQuery } from '../api/useQuery';
import { getToken } from '../api/token';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatMoney } from '../format';
import { graphql } from '../gql';
import type { ReportGroupBy } from '../gql/graphql';
import { t } from '../i18n';
import { BarChart } from './BarChart';
import { useManagedOrganisations } from './staffAccess';
import { TitleDemand } from './TitleDemand';

const SalesReport = graphql(`
  query AdminSalesReport(
    $org: ID!
    $from: DateTime!
    $to: DateTime!
    $granularity: ReportGranularity!
    $groupBy: ReportGroupBy!
  ) {
    salesReport(organisationId: $org, from: $from, to: $to, granularity: $granularity, groupBy: $groupBy) {
      bucket
      groupId
      groupName
      ticketsSold
      ticketsReturned
      grossCents
      refundCents
      netCents
      feeCents
      promotionUses
      holdsPlaced
      checkoutsStarted
      confirmations
      holdsLapsed
      cancellations
      waitingRoomEntries
      waitingRoomAdmissions
      occupancy
      averagePriceCents
    }
  }
`);

const DAY = 24 * 3600_000;
const PERIODS = [7, 30, 90] as const;
const GROUPS: ReportGroupBy[] = ['THEATRE', 'SCREEN', 'MOVIE', 'EVENT', 'SHOWTIME'];

/** Whole UTC days: the last `days` up to and including today. */
function period(days: number): { from: string; to: string } {
  const end = Math.floor(Date.now() / DAY) * DAY + DAY;
  return { from: new Date(end - days * DAY).toISOString(), to: new Date(end).toISOString() };
}

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

/** Sales of an organisation: revenue by day as a chart, a breakdown, and CSV exports. */
export function AnalyticsPage() {
  const organisations = useManagedOrganisations();
  const [chosen, setChosen] = useState<string | null>(null);
  const [days, setDays] = useState<number>(30);
  const [groupBy, setGroupBy] = useState<ReportGroupBy>('THEATRE');
  const current = organisations.list.find((o) => o.id === chosen) ?? organisations.list[0];
  const { from, to } = period(days);
  const base = { org: current?.id ?? '', from, to };
  const daily = useQuery(SalesReport, { ...base, granularity: 'DAY', groupBy: 'ORGANISATION' }, { skip: !current });
  const breakdown = useQuery(SalesReport, { ...base, granularity: 'PERIOD', groupBy }, { skip: !current });
  const money = (v: number) => formatMoney(v, current?.currency ?? 'USD');
  const rows = daily.data?.salesReport ?? [];
  const byDay = new Map(rows.map((r) => [r.bucket.slice(0, 10), r]));
  const bars = Array.from({ length: days }, (_, i) => {
    const day = new Date(Date.parse(from) + i * DAY).toISOString().slice(0, 10);
    return { label: day.slice(5), value: byDay.get(day)?.netCents ?? 0 };
  });
  const sum = (
    key:
      | 'ticketsSold'
      | 'netCents'
      | 'refundCents'
      | 'holdsPlaced'
      | 'checkoutsStarted'
      | 'confirmations'
      | 'holdsLapsed'
      | 'waitingRoomEntries'
      | 'waitingRoomAdmissions',
  ) =>
    rows.reduce((n, r) => n + r[key], 0);

  return (
    <section aria-labelledby="admin-analytics-h">
      <h2 id="admin-analytics-h">{t.admin.nav.analytics}</h2>
      {organisations.error !== null && <ErrorNotice error={organisations.error} />}
      <div className="admin-actions">
        {organisations.list.length > 1 && (
          <label>
            {t.admin.organisation.pick}
            <select value={current?.id} onChange={(e) => setChosen(e.target.value)}>
              {organisations.list.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t.admin.analytics.period}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {PERIODS.map((d) => (
              <option key={d} value={d}>
                {t.admin.analytics.lastDays(d)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {current && (
        <>
          {daily.status === 'error' && <ErrorNotice error={daily.error} onRetry={daily.retry} />}
          <dl className="analytics-totals">
            <div>
              <dt>{t.admin.analytics.ticketsSold}</dt>
              <dd>{sum('ticketsSold')}</dd>
            </div>
            <div>
              <dt>{t.admin.analytics.net}</dt>
              <dd>{money(sum('netCents'))}</dd>
            </div>
            <div>
              <dt>{t.admin.analytics.refunds}</dt>
              <dd>{money(sum('refundCents'))}</dd>
            </div>
            <div>
              <dt>{t.admin.analytics.funnel}</dt>
              <dd>
                {t.admin.analytics.funnelText(sum('holdsPlaced'), sum('checkoutsStarted'), sum('confirmations'), sum('holdsLapsed'))}
              </dd>
            </div>
            <div>
              <dt>{t.admin.analytics.waitingRoom}</dt>
              <dd>{t.admin.analytics.waitingRoomText(sum('waitingRoomEntries'), sum('waitingRoomAdmissions'))}</dd>
            </div>
          </dl>
          <BarChart bars={bars} title={t.admin.analytics.netByDay(current.name)} format={money} />
          <CsvLink org={current.id} from={from} to={to} granularity="day" groupBy="organisation" label={t.admin.analytics.csvDaily} />

          <h3>{t.admin.analytics.breakdown}</h3>
          <label>
            {t.admin.analytics.groupBy}
            <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as ReportGroupBy)}>
              {GROUPS.map((g) => (
                <option key={g} value={g}>
                  {t.admin.analytics.groups[g]}
                </option>
              ))}
            </select>
          </label>
          {breakdown.status === 'error' && <ErrorNotice error={breakdown.error} onRetry={breakdown.retry} />}
          {breakdown.data && breakdown.data.salesReport.length === 0 && <p>{t.admin.analytics.none}</p>}
          {breakdown.data && breakdown.data.salesReport.length > 0 && (
            <table className="admin-table">
              <thead>
                <tr>
                  <th scope="col">{t.admin.analytics.groups[groupBy]}</th>
                  <th scope="col">{t.admin.analytics.ticketsSold}</th>
                  <th scope="col">{t.admin.analytics.net}</th>
                  <th scope="col">{t.admin.analytics.refunds}</th>
                  <th scope="col">{t.admin.analytics.occupancy}</th>
                  <th scope="col">{t.admin.analytics.averagePrice}</th>
                  <th scope="col">{t.admin.analytics.promotionUses}</th>
                </tr>
              </thead>
              <tbody>
                {breakdown.data.salesReport.map((r) => (
                  <tr key={r.groupId ?? 'all'}>
                    <th scope="row">{r.groupName ?? r.groupId}</th>
                    <td>{r.ticketsSold}</td>
                    <td>{money(r.netCents)}</td>
                    <td>{money(r.refundCents)}</td>
                    <td>{percent(r.occupancy)}</td>
                    <td>{money(r.averagePriceCents)}</td>
                    <td>{r.promotionUses}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <CsvLink
            org={current.id}
            from={from}
            to={to}
            granularity="period"
            groupBy={groupBy.toLowerCase()}
            label={t.admin.analytics.csvBreakdown}
          />
        </>
      )}
      <TitleDemand />
    </section>
  );
}

/** Downloads a report as CSV: fetched with the staff member's token, saved as a file. */
function CsvLink(props: { org: string; from: string; to: string; granularity: string; groupBy: string; label: string }) {
  const [failed, setFailed] = useState(false);
  const download = async () => {
    const query = new URLSearchParams({
      organisationId: props.org,
      from: props.from,
      to: props.to,
      granularity: props.granularity,
      groupBy: props.groupBy,
      format: 'csv',
    });
    const response = await fetch(`/analytics?${query}`, { headers: { authorization: `Bearer ${getToken() ?? ''}` } });
    if (!response.ok) return setFailed(true);
    setFailed(false);
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `sales-${props.groupBy}-${props.from.slice(0, 10)}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <p>
      <button type="button" onClick={download}>
        {props.label}
      </button>
      {failed && <span role="alert"> {t.admin.analytics.csvFailed}</span>}
    </p>
  );
}
