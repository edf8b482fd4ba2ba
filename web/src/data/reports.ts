// Reports for dispatchers and administrators (see server/reports): volumes, service levels, the desk and
// the knowledge base, for a period of the city's dates; each table also as a CSV download.
import { api, query } from './api.ts';
import type { Channel } from './requests.ts';

export type Interval = 'day' | 'week' | 'month';
export const intervalNames: Record<Interval, string> = { day: 'Days', week: 'Weeks (from Monday)', month: 'Months' };

export interface ReportFilters {
  from: string;
  to: string;
  interval: Interval;
  department?: string;
  channel?: Channel;
}

export interface Range {
  from: string;
  to: string;
  interval: Interval;
  timeZone: string;
  start: string;
  end: string;
}

/** One line of a breakdown: a stored value or hierarchy code, its name, how many. */
export interface Row {
  key: string;
  name: string;
  count: number;
}

export interface VolumeReport {
  range: Range;
  total: number;
  cancelled: number;
  byType: Row[];
  byChannel: Row[];
  commentsByKind: Row[];
  series: { bucket: string; total: number; information: number; action: number; comment: number }[];
  byDepartment: Row[];
  byProvider: Row[];
  byCategory: Row[];
  byProblemCode: Row[];
}

export interface Completion {
  key: string;
  name: string;
  completed: number;
  medianHours: number;
  p90Hours: number;
  onTime: number;
  onTimeShare: number;
}

export interface ServiceLevelReport {
  range: Range;
  asOf: string;
  opened: number;
  completed: number;
  completedOnTime: number;
  onTimeShare: number | null;
  cancelled: number;
  openNow: number;
  overdueNow: number;
  series: { bucket: string; opened: number; completed: number }[];
  byProblemCode: Completion[];
  byProvider: Completion[];
}

export interface ContactLength {
  key: string;
  name: string;
  requests: number;
  averageSeconds: number | null;
}

export interface Owed {
  count: number;
  oldestSince: string | null;
  oldestDays: number | null;
  ages: Row[];
}

export interface DeskReport {
  range: Range;
  asOf: string;
  informationRequests: { handled: number; resolvedAtFirstContact: number; rate: number | null; converted: number };
  contactLength: { all: ContactLength; byChannel: ContactLength[] };
  workOrders: { workOrders: number; callers: number; duplicatesAvoided: number; callersPerWorkOrder: number | null; distribution: Row[] };
  repliesOwed: Owed;
  answersOwed: Owed;
}

export interface KnowledgeBaseReport {
  range: Range;
  mostUsed: { slug: string; title: string; uses: number; views: number }[];
  worstRated: { slug: string; title: string; ratings: number; useful: number; notUseful: number; usefulShare: number }[];
  searchMisses: { query: string; searches: number; desk: number; portal: number; lastAt: string }[];
}

export type ReportName = 'volumes' | 'service-levels' | 'desk' | 'knowledge-base';

/** What each report is filtered by: service levels have no channel, the knowledge base no place either. */
function paramsFor(report: ReportName, f: ReportFilters): Record<string, string | undefined> {
  const period = { from: f.from, to: f.to, interval: f.interval };
  if (report === 'knowledge-base') return { from: f.from, to: f.to };
  if (report === 'service-levels') return { ...period, department: f.department };
  return { ...period, department: f.department, channel: f.channel };
}

export const getVolumes = (f: ReportFilters, signal?: AbortSignal) => api<VolumeReport>('GET', `/reports/volumes${query(paramsFor('volumes', f))}`, undefined, signal);
export const getServiceLevels = (f: ReportFilters, signal?: AbortSignal) => api<ServiceLevelReport>('GET', `/reports/service-levels${query(paramsFor('service-levels', f))}`, undefined, signal);
export const getDesk = (f: ReportFilters, signal?: AbortSignal) => api<DeskReport>('GET', `/reports/desk${query(paramsFor('desk', f))}`, undefined, signal);
export const getKnowledgeBase = (f: ReportFilters, signal?: AbortSignal) => api<KnowledgeBaseReport>('GET', `/reports/knowledge-base${query(paramsFor('knowledge-base', f))}`, undefined, signal);

/** The address of one table of a report as CSV, with the same filters as the dashboard's. */
export const csvUrl = (report: ReportName, table: string, f: ReportFilters) => `/api/reports/${report}.csv${query({ ...paramsFor(report, f), table })}`;
