"""Identity routes: tokens (people and API clients), who am I, passwords, users, API clients.

Each handler parses, builds a Context (``deps``), calls one service and returns its
result; permissions are checked and audit entries written by the services.

``POST /api/v1/auth/token`` speaks OAuth 2.0's two grants:

* ``grant_type=password`` (the default when omitted): ``username``, ``password`` **and**
  ``otp`` — a person's token needs the second factor, like the screens;
* ``grant_type=client_credentials``: ``client_id`` and ``client_secret`` (form fields, or
  HTTP Basic as RFC 6749 §2.3.1 asks) of an API client created by the tenant admin.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Annotated
from urllib.parse import unquote_plus

from fastapi import APIRouter, Form, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from municloud.errors import MuniError, ValidationError
from municloud.kernel import fields as f
from municloud.kernel.catalog import P_API_CLIENT_MANAGE, P_USER_MANAGE
from municloud.kernel.identity.accounts import change_password, deactivate_user, link_user
from municloud.kernel.identity.clients import (
    ApiClientInfo,
    authenticate_client,
    create_api_client,
    list_api_clients,
    revoke_api_client,
)
from municloud.kernel.identity.login import authenticate
from municloud.kernel.identity.services import UserInfo, add_user, describe_user, list_users
from municloud.kernel.identity.tokens import issue_client_token, issue_token
from municloud.web.access import OPERATOR, PUBLIC, SIGNED_IN, requires
from municloud.web.deps import Meta, Person, PlatformContext, PlatformDep, TenantContext

router = APIRouter()
T = "/api/v1/t/{tenant}"
REQUIRED = "必須項目です"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="有効期間（秒）")


class UserIn(_In):
    username: f.USERNAME.type = Field(description="利用者名（半角英数字）")
    password: f.PASSWORD.type | None = Field(None, description="パスワード（10文字以上。この団体の既存の利用者なら不要）")
    roles: list[f.ROLE.type] = Field(description="この団体で付与するロール（registry_clerk など）")
    display_name: f.DISPLAY_NAME.type | None = Field(None, description="表示名（職員の氏名など）")


class LinkIn(_In):
    roles: list[f.ROLE.type] = Field(description="結び付ける団体で付与するロール")


class PasswordIn(_In):
    current_password: f.PASSWORD.type = Field(description="今のパスワード")
    new_password: f.PASSWORD.type = Field(description="新しいパスワード（10文字以上）")


class ApiClientIn(_In):
    name: f.CLIENT_NAME.type = Field(description="クライアントの名前（連携先のシステム名など）", examples=["住民税バッチ"])
    scopes: list[f.PERMISSION.type] = Field(description="与える権限（団体のロールが持つ権限から。利用者管理・書き出しは不可）",
                              examples=[["registry:resident:search", "registry:resident:view"]])
    expires_on: date = Field(description="有効期限（この日の終わりまで。最長366日後）")


class ApiClientOut(BaseModel):
    client_id: str
    name: str
    scopes: list[str]
    expires_at: datetime = Field(description="有効期限（UTC）")
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    last_used_at: datetime | None
    active: bool

    @classmethod
    def of(cls, info: ApiClientInfo) -> ApiClientOut:
        return cls(**{k: getattr(info, k) for k in cls.model_fields})


class NewApiClientOut(ApiClientOut):
    client_secret: str = Field(description="クライアントシークレット（この応答で一度だけ表示。保存されません）")


def _basic(request: Request) -> tuple[str | None, str | None]:
    """Client id and secret from ``Authorization: Basic`` (RFC 6749 §2.3.1), if sent."""
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None, None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, sep, secret = decoded.partition(":")
    return (unquote_plus(client_id), unquote_plus(secret)) if sep else (None, None)


def _required(**values: str | None) -> None:
    missing = {name: REQUIRED for name, value in values.items() if not value}
    if missing:
        raise ValidationError("REQUEST_INVALID", "入力内容に誤りがあります", fields=missing)


@router.post("/api/v1/auth/token", response_model=TokenOut, tags=["認証"], summary="トークンの発行（利用者・APIクライアント）",
             dependencies=[PUBLIC])
def issue(
    request: Request,
    platform: PlatformDep,
    meta: Meta,
    grant_type: Annotated[f.GRANT_TYPE.type, Form(description="password（利用者。既定）または client_credentials（APIクライアント）")] = "password",
    username: Annotated[f.USERNAME.type | None, Form(description="利用者名（password）")] = None,
    password: Annotated[f.PASSWORD.type | None, Form(description="パスワード（password）")] = None,
    otp: Annotated[f.OTP.type | None, Form(description="ワンタイムパスワード（password。必須）")] = None,
    client_id: Annotated[f.CLIENT_ID.type | None, Form(description="クライアントID（client_credentials）")] = None,
    client_secret: Annotated[f.CLIENT_SECRET.type | None, Form(description="クライアントシークレット（client_credentials）")] = None,
) -> TokenOut:
    """利用者は利用者名・パスワード・ワンタイムパスワード（二要素認証）で、API クライアントは
    クライアントIDとシークレットで Bearer トークンを得ます。

    二要素認証を登録していない利用者には発行しません（先に画面からログインして登録します）。
    失敗が続くと、しばらくの間 429（LOGIN_THROTTLED、Retry-After）で応えます。"""
    where = dict(client_addr=meta.client_addr, request_id=meta.request_id, terminal=meta.terminal)
    if grant_type == "client_credentials":
        basic_id, basic_secret = _basic(request)
        client_id, client_secret = client_id or basic_id, client_secret or basic_secret
        _required(client_id=client_id, client_secret=client_secret)
        client = authenticate_client(platform, client_id, client_secret, **where)
        token, ttl = issue_client_token(platform.settings, client.client_id, client_id[:6], client.expires_at)
        return TokenOut(access_token=token, expires_in=ttl)
    if grant_type != "password":
        raise MuniError("UNSUPPORTED_GRANT_TYPE", "grant_type は password か client_credentials にしてください",
                        fields={"grant_type": "password か client_credentials"})
    _required(username=username, password=password)
    login = authenticate(platform.uow(None), username, password, otp=otp, second_factor_required=True, **where)
    token = issue_token(platform.settings, login.user.id, login.user.username, login.token_version)
    return TokenOut(access_token=token, expires_in=platform.settings.token_ttl_seconds)


@router.get("/api/v1/me", response_model=UserInfo, tags=["認証"], summary="ログイン中の利用者と団体・ロール",
            dependencies=[SIGNED_IN])
def me(platform: PlatformDep, person: Person) -> UserInfo:
    return describe_user(platform.uow(None, read_only=True), person.user_id, token_version=person.version)


@router.post("/api/v1/me/password", status_code=204, tags=["認証"], summary="パスワードの変更（本人）",
             dependencies=[SIGNED_IN])
def new_password(platform: PlatformDep, person: Person, meta: Meta, body: PasswordIn) -> Response:
    """変更すると、発行済みのトークン（このトークンも）と画面のログインはすべて無効になります。"""
    change_password(platform.uow(None), person.user_id, body.current_password, body.new_password,
                    token_version=person.version, client_addr=meta.client_addr, request_id=meta.request_id)
    return Response(status_code=204)


@router.get(f"{T}/users", response_model=list[UserInfo], tags=["利用者"], summary="団体の利用者の一覧（団体管理者）",
            dependencies=[requires(P_USER_MANAGE)])
def users(platform: PlatformDep, ctx: TenantContext) -> list[UserInfo]:
    return list_users(platform.uow(ctx.tenant_code), ctx)


@router.post(
    f"{T}/users", response_model=UserInfo, status_code=201, tags=["利用者"],
    summary="利用者の追加・ロールの付与（団体管理者）", dependencies=[requires(P_USER_MANAGE)],
)
def new_user(platform: PlatformDep, ctx: TenantContext, body: UserIn) -> UserInfo:
    """新しい利用者を追加するか、この団体の利用者にロールを追加します。他の団体の利用者名や予約された名前は
    USERNAME_UNAVAILABLE（どちらかは答えません）。他の団体の職員を結び付けるのは基盤運用者です。"""
    return add_user(
        platform.uow(ctx.tenant_code), ctx, body.username, body.password, body.roles, body.display_name
    )


@router.post(f"{T}/users/{{username}}/deactivate", status_code=204, tags=["利用者"],
             summary="利用者の利用停止（団体管理者：この団体のロールを終える）",
             dependencies=[requires(P_USER_MANAGE)])
def deactivate_member(platform: PlatformDep, ctx: TenantContext, username: str) -> Response:
    deactivate_user(platform.uow(ctx.tenant_code), ctx, username)
    return Response(status_code=204)


@router.post("/api/v1/users/{username}/deactivate", status_code=204, tags=["利用者"],
             summary="アカウントの利用停止（基盤運用者）", dependencies=[OPERATOR])
def deactivate_account(platform: PlatformDep, ctx: PlatformContext, username: str) -> Response:
    deactivate_user(platform.uow(None), ctx, username)
    return Response(status_code=204)


@router.post("/api/v1/users/{username}/tenants/{code}", response_model=UserInfo, tags=["利用者"],
             summary="既存の利用者を別の団体に結び付ける（基盤運用者）",
             dependencies=[OPERATOR])
def link(platform: PlatformDep, ctx: PlatformContext, username: str, code: str, body: LinkIn) -> UserInfo:
    """関係するすべての団体の監査ログと基盤の監査ログに記録されます。"""
    return link_user(platform.uow(code), ctx, username, body.roles)


@router.get(f"{T}/api-clients", response_model=list[ApiClientOut], tags=["APIクライアント"],
            summary="APIクライアントの一覧（団体管理者）",
            dependencies=[requires(P_API_CLIENT_MANAGE)])
def api_clients(platform: PlatformDep, ctx: TenantContext) -> list[ApiClientOut]:
    return [ApiClientOut.of(c) for c in list_api_clients(platform.uow(ctx.tenant_code), ctx)]


@router.post(f"{T}/api-clients", response_model=NewApiClientOut, status_code=201, tags=["APIクライアント"],
             summary="APIクライアントの登録（団体管理者）",
             dependencies=[requires(P_API_CLIENT_MANAGE)])
def new_api_client(platform: PlatformDep, ctx: TenantContext, body: ApiClientIn) -> NewApiClientOut:
    """クライアントシークレットはこの応答で一度だけ返します（保存されるのはハッシュのみ）。"""
    created = create_api_client(platform.uow(ctx.tenant_code), ctx, body.name, body.scopes, body.expires_on)
    return NewApiClientOut(**ApiClientOut.of(created.info).model_dump(), client_secret=created.secret)


@router.post(f"{T}/api-clients/{{client_id}}/revoke", response_model=ApiClientOut, tags=["APIクライアント"],
             summary="APIクライアントの失効（団体管理者）",
             dependencies=[requires(P_API_CLIENT_MANAGE)])
def revoke(platform: PlatformDep, ctx: TenantContext, client_id: str) -> ApiClientOut:
    """失効したクライアントのトークンは、次の要求から拒否されます。"""
    return ApiClientOut.of(revoke_api_client(platform.uow(ctx.tenant_code), ctx, client_id))
