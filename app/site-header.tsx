import Link from "next/link";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { getUnreadCount } from "@/lib/server/notifications/get-unread-count";
import { initials } from "@/lib/shared/names";
import { NotificationBell } from "./notification-bell";

/** The thin bar above every page: the wordmark, and who is signed in. */
export async function SiteHeader() {
  const user = await getCurrentUser();
  return (
    <header className="site-header">
      <Link href="/" className="wordmark" aria-label="Marginalia, home">
        <span aria-hidden="true" className="wordmark-mark">
          ¶
        </span>
        Marginalia
      </Link>
      <nav aria-label="Main" className="site-nav">
        <Link href="/">{user ? "Home" : "Library"}</Link>
        {user ? (
          <>
            <Link href="/my-texts">My texts</Link>
            <NotificationBell initialCount={await getUnreadCount(user.id)} />
            <span className="site-nav-user" title={user.email}>
              <span className="avatar avatar-small" aria-hidden="true">
                {initials(user.name)}
              </span>
              {user.name}
            </span>
            <Link href="/signout">Sign out</Link>
          </>
        ) : (
          <>
            <Link href="/signin">Sign in</Link>
            <Link href="/signup" className="button button-small button-primary">
              Create account
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}
