"""Tenants (団体): municipalities keyed by their 全国地方公共団体コード."""
