// The words a report and its CSV use for stored values, so an export reads like the dashboard.
import type { Channel, RequestType } from '../../db/schema/intake.ts';

/** One line of a breakdown: what is counted (a stored value or a hierarchy code), its name, how many. */
export interface Row {
  key: string;
  name: string;
  count: number;
}

export const typeNames: Record<RequestType, string> = { information: 'Information', action: 'Action', comment: 'Comment' };

export const channelNames: Record<Channel, string> = {
  phone: 'Phone',
  email: 'E-mail',
  fax: 'Fax',
  walk_in: 'Walk-in',
  mail: 'Mail',
  web: 'Web portal',
  mobile_app: 'Mobile app',
  open311: 'Open311 partner',
};

export const commentKindNames = { compliment: 'Compliment', complaint: 'Complaint', suggestion: 'Suggestion', other: 'Other' } as const;

/** How long something has been waiting, in the bands the desk's managers use. */
export const ageBands = [
  { key: 'under-1-day', name: 'Under a day', below: 1 },
  { key: '1-3-days', name: '1–3 days', below: 3 },
  { key: '3-7-days', name: '3–7 days', below: 7 },
  { key: '7-30-days', name: '7–30 days', below: 30 },
  { key: 'over-30-days', name: 'Over 30 days', below: null },
] as const;
