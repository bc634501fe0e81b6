'use client';

import type { AdminCategoryNode, AdminCollection } from '@e3d/contracts';
import { useEffect, useState } from 'react';
import { api, isApiError } from '@/lib/api';

export interface CategoryOption {
  id: string;
  name: string;
  depth: number;
  /** "Furniture › Desks", for places that show it out of the tree. */
  path: string;
}

/** The category tree in display order, each entry knowing its depth and path. */
export function flattenCategories(
  nodes: AdminCategoryNode[],
  depth = 0,
  parents: string[] = [],
): CategoryOption[] {
  return [...nodes]
    .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
    .flatMap((node) => {
      const path = [...parents, node.name];
      return [
        { id: node.id, name: node.name, depth, path: path.join(' › ') },
        ...flattenCategories(node.children, depth + 1, path),
      ];
    });
}

export interface Taxonomy {
  categories: CategoryOption[];
  collections: AdminCollection[];
  loading: boolean;
  error: string | null;
}

/** Every category and collection, for filters and pickers. */
export function useTaxonomy(): Taxonomy {
  const [state, setState] = useState<Taxonomy>({
    categories: [],
    collections: [],
    loading: true,
    error: null,
  });
  useEffect(() => {
    const controller = new AbortController();
    const load = async () => {
      try {
        const [tree, collections] = await Promise.all([
          api.get<{ items: AdminCategoryNode[] }>('/api/admin/categories', { signal: controller.signal }),
          api.get<{ items: AdminCollection[] }>('/api/admin/collections', { signal: controller.signal }),
        ]);
        setState({
          categories: flattenCategories(tree.items),
          collections: [...collections.items].sort(
            (a, b) => a.position - b.position || a.title.localeCompare(b.title),
          ),
          loading: false,
          error: null,
        });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((s) => ({
          ...s,
          loading: false,
          error: isApiError(error) ? error.detail : 'Categories and collections could not be loaded.',
        }));
      }
    };
    void load();
    return () => controller.abort();
  }, []);
  return state;
}
