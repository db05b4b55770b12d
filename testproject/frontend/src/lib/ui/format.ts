/** How the demo shows values to people: salaries with their currency, choices by their label. */
import type { Vacancy } from '../api/generated';

/** The testproject stores yearly salaries in euros (whole units). */
export const CURRENCY = 'EUR';

const money = new Intl.NumberFormat('en-IE', {
	style: 'currency',
	currency: CURRENCY,
	maximumFractionDigits: 0
});

/** "€45,000 – €60,000", "from €45,000", "up to €60,000", or "" when neither is set. */
export function salaryRange(min: number | null | undefined, max: number | null | undefined): string {
	const low = min ?? null;
	const high = max ?? null;
	if (low !== null && high !== null) return `${money.format(low)} – ${money.format(high)}`;
	if (low !== null) return `from ${money.format(low)}`;
	if (high !== null) return `up to ${money.format(high)}`;
	return '';
}

export const STATUS_LABELS: Record<Vacancy['status'], string> = {
	draft: 'Draft',
	published: 'Published',
	closed: 'Closed'
};

export const EMPLOYMENT_LABELS: Record<Vacancy['employment_type'], string> = {
	full_time: 'Full time',
	part_time: 'Part time',
	contract: 'Contract',
	internship: 'Internship'
};
