import { createContext, useContext } from 'react';
import { useQuery } from '../api/useQuery';
import { graphql } from '../gql';
import type { StaffRole } from '../gql/graphql';

const MyStaffRoles = graphql(`
  query MyStaffRoles {
    myStaffRoles {
      organisationId
      role
      refundLimitCents
    }
  }
`);

/** What the signed-in member of staff may do: everything (a platform admin), or their roles. */
export interface StaffAccess {
  platform: boolean;
  roles: { organisationId: string; role: StaffRole; refundLimitCents?: number | null }[];
}

/** Whether `access` may change what `organisationId` owns (none: the platform's own). */
export function manages(access: StaffAccess, organisationId: string | null | undefined): boolean {
  return access.platform || access.roles.some((r) => r.organisationId === organisationId && r.role === 'MANAGER');
}

/** Whether `access` works for the owner of something (reads its bookings and support). */
export function worksFor(access: StaffAccess, organisationId: string | null | undefined): boolean {
  return access.platform || access.roles.some((r) => r.organisationId === organisationId);
}

export const StaffAccessContext = createContext<StaffAccess>({ platform: false, roles: [] });

export const useStaffAccess = () => useContext(StaffAccessContext);

/** The caller's roles, asked only of an account that is not a platform admin. */
export function useStaffRoles(platform: boolean) {
  return useQuery(MyStaffRoles, {}, { skip: platform });
}

const StaffOrganisations = graphql(`
  query StaffOrganisations {
    organisations {
      id
      name
      currency
    }
  }
`);

/** Names of the organisations the caller works for, by id (asked only when `needed`). */
export function useOrganisationNames(needed: boolean): Map<string, string> {
  const found = useQuery(StaffOrganisations, {}, { skip: !needed });
  return new Map((found.data?.organisations ?? []).map((o) => [o.id, o.name]));
}

/** The organisations the caller manages (every one, for a platform admin), with their currency. */
export function useManagedOrganisations() {
  const access = useStaffAccess();
  const found = useQuery(StaffOrganisations, {});
  return {
    list: (found.data?.organisations ?? []).filter((o) => manages(access, o.id)),
    error: found.status === 'error' ? found.error : null,
    loaded: found.data !== undefined,
  };
}
