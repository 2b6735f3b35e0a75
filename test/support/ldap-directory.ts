// The directory of the LDAP tests: people, groups named after the driver's roles, and entries an attacker would
// like to reach through a crafted user name.
import { LDAP_SUFFIX } from './ldap-server';

export const PEOPLE = `ou=people,${LDAP_SUFFIX}`;
export const GROUPS = `ou=groups,${LDAP_SUFFIX}`;
export const USER_DN_TEMPLATE = `uid={user},${PEOPLE}`;

export const USERS = {
  /** In pnc-app-environment-driver-user (groupOfNames `member`). */
  alice: { user: 'alice', password: 'alice-secret', dn: `uid=alice,${PEOPLE}` },
  /** In no group. */
  bob: { user: 'bob', password: 'bob-secret', dn: `uid=bob,${PEOPLE}` },
  /** In pnc-users-admin (groupOfUniqueNames `uniqueMember`) and developers. */
  carol: { user: 'carol', password: 'carol-secret', dn: `uid=carol,${PEOPLE}` },
  /** In pnc-app-environment-driver-user; left for the test that needs a user nobody has bound yet. */
  dave: { user: 'dave', password: 'dave-secret', dn: `uid=dave,${PEOPLE}` },
  /** In pnc-app-environment-driver-user; for counting the binds of the cache test. */
  erin: { user: 'erin', password: 'erin-secret', dn: `uid=erin,${PEOPLE}` },
  /** A user name with every DN special character, in pnc-app-environment-driver-user: escaping must find it. */
  ada: {
    user: '#ada, lovelace+1=\\;"<x>" ',
    password: 'ada-secret',
    dn: `uid=\\#ada\\, lovelace\\+1\\=\\\\\\;\\"\\<x\\>\\"\\ ,${PEOPLE}`,
  },
  /** In no group; unescaped in a filter, its name would match every group: `(cn=*)`. */
  mallory: { user: 'x)(cn=*)(cn=x', password: 'mallory-secret', dn: `uid=x)(cn=*)(cn=x,${PEOPLE}` },
  /** A robot below people, in pnc-users-admin, never meant to log in: only `svc,ou=robots` unescaped reaches it. */
  robot: { user: 'svc', password: 'robot-secret', dn: `uid=svc,ou=robots,${PEOPLE}` },
} as const;

const person = (uid: string, password: string) => ({
  objectClass: 'inetOrgPerson',
  uid,
  cn: uid,
  sn: 'test',
  userPassword: password,
});

export const DIRECTORY: [string, Record<string, string | string[]>][] = [
  [PEOPLE, { objectClass: 'organizationalUnit', ou: 'people' }],
  [GROUPS, { objectClass: 'organizationalUnit', ou: 'groups' }],
  ...Object.values(USERS)
    .filter((user) => user !== USERS.robot)
    .map((user): [string, Record<string, string>] => [user.dn, person(user.user, user.password)]),
  [`ou=robots,${PEOPLE}`, { objectClass: 'organizationalUnit', ou: 'robots' }],
  [USERS.robot.dn, person('svc', USERS.robot.password)],
  [
    `cn=pnc-app-environment-driver-user,${GROUPS}`,
    {
      objectClass: 'groupOfNames',
      cn: 'pnc-app-environment-driver-user',
      member: [USERS.alice.dn, USERS.dave.dn, USERS.erin.dn, USERS.ada.dn],
    },
  ],
  [
    `cn=pnc-users-admin,${GROUPS}`,
    { objectClass: 'groupOfUniqueNames', cn: 'pnc-users-admin', uniqueMember: [USERS.carol.dn, USERS.robot.dn] },
  ],
  // A group that is not a role.
  [`cn=developers,${GROUPS}`, { objectClass: 'groupOfNames', cn: 'developers', member: [USERS.carol.dn] }],
];
