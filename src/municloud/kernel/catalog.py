"""Registered, documented data: permissions, audit actions and roles.

Each module registers what it adds (``register(catalog)`` in its ``__init__.py``); the
kernel registers its own here.  ``tests/unit/kernel/test_catalog_documented.py`` fails when
a permission, audit action or role is missing from ``docs/permissions.md`` /
``docs/audit-actions.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from municloud.errors import ConfigurationError, ValidationError


@dataclass(frozen=True)
class Permission:
    name: str
    description: str
    # False: a person's decision, never a machine's (an API client cannot be given it)
    for_clients: bool = True


@dataclass(frozen=True)
class AuditAction:
    name: str  # module:subject:action, e.g. registry:resident:view
    description: str


@dataclass
class Role:
    name: str
    description: str
    platform: bool = False  # platform roles (operator) are not held per tenant
    permissions: set[str] = field(default_factory=set)


@dataclass
class Catalog:
    permissions: dict[str, Permission] = field(default_factory=dict)
    audit_actions: dict[str, AuditAction] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)

    def permission(self, name: str, description: str, *, for_clients: bool = True) -> str:
        """Register *name*; ``for_clients=False`` keeps it from API clients (least privilege:
        managing people and clients, taking all data out, deciding who is protected)."""
        _check_name(name)
        self.permissions[name] = Permission(name, description, for_clients)
        return name

    def client_scopes(self) -> list[str]:
        """Permissions an API client may be given: any a tenant role carries that is not
        kept for people (``for_clients=False``)."""
        held = {p for role in self.roles.values() if not role.platform for p in role.permissions}
        return sorted(p for p in held if self.permissions[p].for_clients)

    def audit_action(self, name: str, description: str) -> str:
        _check_name(name)
        self.audit_actions[name] = AuditAction(name, description)
        return name

    def role(self, name: str, description: str, *, platform: bool = False) -> Role:
        role = self.roles.get(name)
        if role is None:
            role = self.roles[name] = Role(name, description, platform)
        return role

    def grant(self, role: str, *permissions: str) -> None:
        for name in permissions:
            if name not in self.permissions:
                raise ConfigurationError("CATALOG_UNKNOWN_PERMISSION", f"未登録の権限です: {name}")
            self.roles[role].permissions.add(name)

    def permissions_of(self, roles: set[str] | frozenset[str]) -> frozenset[str]:
        granted: set[str] = set()
        for name in roles:
            if name in self.roles:
                granted |= self.roles[name].permissions
        return frozenset(granted)

    def require_role(self, name: str, *, platform: bool = False) -> Role:
        role = self.roles.get(name)
        if role is None or role.platform != platform:
            raise ValidationError(
                "ROLE_UNKNOWN",
                f"ロール「{name}」はありません（使えるロール: "
                f"{', '.join(sorted(r for r, v in self.roles.items() if v.platform == platform))}）",
            )
        return role

    def require_audit_action(self, name: str) -> None:
        if name not in self.audit_actions:
            raise ConfigurationError("CATALOG_UNKNOWN_AUDIT_ACTION", f"未登録の監査操作です: {name}")


def _check_name(name: str) -> None:
    parts = name.split(":")
    if len(parts) != 3 or not all(parts):
        raise ConfigurationError(
            "CATALOG_BAD_NAME", f"名前は module:subject:action の形にしてください: {name}"
        )


# Kernel-level permissions, audit actions and roles -------------------------------------

P_TENANT_MANAGE = "kernel:tenant:manage"
P_USER_MANAGE = "kernel:user:manage"
P_PARAMETER_MANAGE = "kernel:parameter:manage"
P_AUDIT_READ = "kernel:audit:read"
P_AUDIT_VERIFY = "kernel:audit:verify"
P_TENANT_EXPORT = "kernel:tenant:export"
P_API_CLIENT_MANAGE = "kernel:api_client:manage"
P_ACCOUNT_MANAGE = "kernel:account:manage"

A_LOGIN_SUCCESS = "kernel:auth:login"
A_LOGIN_FAILURE = "kernel:auth:login_failed"
A_LOGIN_LOCKED = "kernel:auth:locked"
A_ACCESS_DENIED = "kernel:access:denied"
A_SECOND_FACTOR = "kernel:auth:second_factor"
A_SECOND_FACTOR_FAILURE = "kernel:auth:second_factor_failed"
A_TOTP_ENROLL = "kernel:auth:totp_enrolled"
A_LOGOUT = "kernel:auth:logout"
A_ENROLLMENT_VIEW = "kernel:user:enrollment"
A_DOCUMENT_ISSUE = "kernel:document:issue"
A_VERIFICATION_READ = "kernel:verification:read"
A_TENANT_ADD = "kernel:tenant:add"
A_TENANT_LIST = "kernel:tenant:list"
A_TENANT_EXPORT = "kernel:tenant:export"
A_TENANT_IMPORT = "kernel:tenant:import"
A_USER_ADD = "kernel:user:add"
A_USER_LIST = "kernel:user:list"
A_ROLE_GRANT = "kernel:user:grant"
A_PARAMETER_SET = "kernel:parameter:set"
A_AUDIT_READ = "kernel:audit:read"
A_AUDIT_VERIFY = "kernel:audit:verify"
A_CLIENT_TOKEN = "kernel:auth:client_token"
A_CLIENT_TOKEN_FAILURE = "kernel:auth:client_failed"
A_API_CLIENT_ADD = "kernel:api_client:add"
A_API_CLIENT_LIST = "kernel:api_client:list"
A_API_CLIENT_REVOKE = "kernel:api_client:revoke"
A_USER_LINK = "kernel:user:link"
A_PASSWORD_CHANGE = "kernel:user:password"
A_USER_DEACTIVATE = "kernel:user:deactivate"
A_GUIDE_ACKNOWLEDGE = "kernel:security_guide:acknowledge"

#: Never given to an API client, whatever the tenant admin picks: managing people, roles
#: and other clients, and carrying the whole tenant away, stay acts of a person with a
#: second factor (``identity/clients.py``).


def register_kernel(catalog: Catalog) -> None:
    catalog.permission(P_TENANT_MANAGE, "団体（テナント）の追加・一覧。運用者のみ。住民の個人データは読めない")
    catalog.permission(P_USER_MANAGE, "その団体の利用者の追加とロールの付与", for_clients=False)
    catalog.permission(P_PARAMETER_MANAGE, "その団体のパラメータ上書き（適用日・理由付き）の設定")
    catalog.permission(P_AUDIT_READ, "その団体の監査ログ（アクセスログ）の閲覧")
    catalog.permission(P_AUDIT_VERIFY, "監査ログのハッシュチェーンの検証")
    catalog.permission(P_TENANT_EXPORT, "その団体の全データを標準レイアウトで書き出す（ダウンロード）", for_clients=False)
    catalog.permission(P_API_CLIENT_MANAGE, "その団体のAPIクライアント（機械連携の資格情報）の登録・一覧・失効", for_clients=False)
    catalog.permission(
        P_ACCOUNT_MANAGE, "利用者アカウントの管理（別の団体への結び付け・パスワードの再設定・利用停止）。運用者のみ"
    )

    catalog.audit_action(A_LOGIN_SUCCESS, "ログイン成功")
    catalog.audit_action(A_LOGIN_FAILURE, "ログイン失敗（利用者名またはパスワードの誤り）")
    catalog.audit_action(A_LOGIN_LOCKED, "失敗が続いたためのログインの抑止（遅延の開始・延長）")
    catalog.audit_action(A_SECOND_FACTOR, "二要素認証（ワンタイムパスワード）の成功")
    catalog.audit_action(A_SECOND_FACTOR_FAILURE, "二要素認証（ワンタイムパスワード）の失敗")
    catalog.audit_action(A_TOTP_ENROLL, "二要素認証の登録（QRコードによるワンタイムパスワードの設定）")
    catalog.audit_action(A_LOGOUT, "ログアウト・無操作による自動ログアウト")
    catalog.audit_action(A_ENROLLMENT_VIEW, "二要素認証の登録状況の閲覧")
    catalog.audit_action(A_DOCUMENT_ISSUE, "証明書の発行（発行番号・種類・SHA-256を発行台帳に記録）")
    catalog.audit_action(A_VERIFICATION_READ, "証明書の確認の件数（公開の確認ページでの照会、日ごと・証明書ごと）の閲覧")
    catalog.audit_action(A_ACCESS_DENIED, "権限のない操作・他団体の資源へのアクセスの拒否")
    catalog.audit_action(A_TENANT_ADD, "団体（テナント）の追加")
    catalog.audit_action(A_TENANT_LIST, "団体一覧の閲覧（拒否された閲覧のみ記録）")
    catalog.audit_action(A_TENANT_EXPORT, "団体の全データの書き出し（標準レイアウト）")
    catalog.audit_action(A_TENANT_IMPORT, "団体の全データの取り込み（標準レイアウト、基盤の監査ログに記録）")
    catalog.audit_action(A_USER_ADD, "利用者の追加")
    catalog.audit_action(A_USER_LIST, "利用者一覧の閲覧（拒否された閲覧を含む）")
    catalog.audit_action(A_ROLE_GRANT, "利用者へのロール付与")
    catalog.audit_action(A_PARAMETER_SET, "団体パラメータの上書き設定")
    catalog.audit_action(A_AUDIT_READ, "監査ログの閲覧")
    catalog.audit_action(A_AUDIT_VERIFY, "監査ログのハッシュチェーン検証")
    catalog.audit_action(A_CLIENT_TOKEN, "APIクライアントへのトークンの発行")
    catalog.audit_action(
        A_CLIENT_TOKEN_FAILURE, "APIクライアントの認証の失敗（IDまたはシークレットの誤り・失効・期限切れ）"
    )
    catalog.audit_action(A_API_CLIENT_ADD, "APIクライアントの登録（権限の範囲・有効期限）")
    catalog.audit_action(A_API_CLIENT_LIST, "APIクライアント一覧の閲覧")
    catalog.audit_action(A_API_CLIENT_REVOKE, "APIクライアントの失効")
    catalog.audit_action(A_USER_LINK, "既存の利用者アカウントの別の団体への結び付け（運用者。関係する団体すべてに記録）")
    catalog.audit_action(A_PASSWORD_CHANGE, "パスワードの変更・再設定（発行済みのトークンとログインは無効になる）")
    catalog.audit_action(A_USER_DEACTIVATE, "利用者の利用停止（団体の所属の終了、またはアカウントの停止）")
    catalog.audit_action(A_GUIDE_ACKNOWLEDGE, "情報セキュリティの心得を読み、内容を理解したことの確認（版を記録。研修の記録）")

    catalog.role("operator", "基盤運用者：団体の管理のみ。住民データは一切読めない", platform=True)
    catalog.grant("operator", P_TENANT_MANAGE, P_ACCOUNT_MANAGE)
    catalog.role("tenant_admin", "団体管理者：その団体の利用者・ロール・パラメータ・APIクライアントの管理")
    catalog.grant("tenant_admin", P_USER_MANAGE, P_PARAMETER_MANAGE, P_TENANT_EXPORT, P_API_CLIENT_MANAGE)
    catalog.role("auditor", "監査担当：その団体の監査ログの閲覧と検証のみ")
    catalog.grant("auditor", P_AUDIT_READ, P_AUDIT_VERIFY)
