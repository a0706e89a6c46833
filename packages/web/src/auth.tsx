import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { type Access, accessOf, type Me } from './access.ts'
import { ApiError, request } from './api.ts'
import { bindUnauthorized } from './request-error.ts'

interface AuthState {
  me: Me | null
  access: Access
  /** true until the first /api/auth/me answer. */
  loading: boolean
  login(username: string, password: string, onError?: (e: ApiError) => boolean): Promise<void>
  logout(): Promise<void>
}

const AuthContext = createContext<AuthState | null>(null)

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null)
  const [loading, setLoading] = useState(true)

  useEffect(() => {
    // Losing the session clears the user; the protected layout then sends the browser to /login.
    bindUnauthorized(() => setMe(null))
    request<Me>('/api/auth/me', { onError: (e) => e.status === 401 })
      .then(setMe)
      .catch(() => setMe(null))
      .finally(() => setLoading(false))
  }, [])

  const login = useCallback(async (username: string, password: string, onError?: (e: ApiError) => boolean) => {
    await request('/api/auth/login', { body: { username, password }, onError })
    setMe(await request<Me>('/api/auth/me'))
  }, [])

  const logout = useCallback(async () => {
    try {
      await request('/api/auth/logout', { method: 'POST', onError: (e) => e instanceof ApiError })
    } finally {
      setMe(null)
    }
  }, [])

  const value = useMemo(() => ({ me, access: accessOf(me), loading, login, logout }), [me, loading, login, logout])
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

export function useAuth(): AuthState {
  const value = useContext(AuthContext)
  if (!value) throw new Error('useAuth outside AuthProvider')
  return value
}
