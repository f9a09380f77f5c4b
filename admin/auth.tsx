import { createContext, createResource, useContext, type ParentProps } from "solid-js";
import { isRole, roleScopes, type Scope } from "../shared/scopes.ts";
import { api, ApiError, call } from "./api.ts";

type User = { username: string; role: string };

function makeAuth() {
  const [user, { mutate, refetch }] = createResource<User | null>(async () => {
    try {
      return (await call(api.session.$get())).user;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  });
  /** Whether the signed-in user's role allows `scope`: the admin hides what the server would refuse. */
  const can = (scope: Scope) => {
    const role = user()?.role;
    return role !== undefined && isRole(role) && roleScopes[role].includes(scope);
  };
  return {
    user,
    can,
    refetch,
    signIn: async (username: string, password: string) => {
      const { user: signedIn } = await call(api.session.$post({ json: { username, password } }));
      mutate(signedIn);
    },
    signOut: async () => {
      await call(api.session.$delete()).catch(() => undefined);
      mutate(null);
    },
    forget: () => mutate(null),
  };
}

const AuthContext = createContext<ReturnType<typeof makeAuth>>();

export function AuthProvider(props: ParentProps) {
  return <AuthContext.Provider value={makeAuth()}>{props.children}</AuthContext.Provider>;
}

export function useAuth() {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}
