import type { CatalogueItem } from '../types';
import { items as cluster2 } from './cluster2';
import { items as cluster3 } from './cluster3';
import { items as cluster4 } from './cluster4';
import { items as growth } from './growth';
import { items as supplements } from './supplements';
import { items as vitalSigns } from './vital-signs';

/** Every catalogue item, in the order the docs list them (shared vital signs first, then by cluster). */
export const ALL_ITEMS: readonly CatalogueItem[] = [...vitalSigns, ...cluster2, ...growth, ...supplements, ...cluster3, ...cluster4];
