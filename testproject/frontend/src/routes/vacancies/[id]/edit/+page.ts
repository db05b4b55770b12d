// The vacancy before the form renders; a missing one is the 404 page.
import { loadVacancy } from '../../../../lib/vacancies/load';

export const load = loadVacancy;
