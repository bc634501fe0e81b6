locals {
  name = "${var.project}-${var.environment}"

  tags = {
    Project     = "ecommerce-3d"
    Environment = var.environment
    ManagedBy   = "terraform"
  }

  azs = slice(data.aws_availability_zones.available.names, 0, 2)

  zone_name    = var.route53_zone_name == "" ? var.domain_name : var.route53_zone_name
  admin_domain = "${var.admin_subdomain}.${var.domain_name}"
  cdn_domain   = "${var.assets_subdomain}.${var.domain_name}"

  storefront_url = "https://${var.domain_name}"
  admin_url      = "https://${local.admin_domain}"
  cdn_url        = "https://${local.cdn_domain}"

  cloudfront_certificate_arn = var.cloudfront_certificate_arn == "" ? var.certificate_arn : var.cloudfront_certificate_arn

  # Ports the containers listen on.
  ports = {
    api        = 4000
    web-client = 3000
    admin      = 3001
  }

  # Service Connect names: other tasks reach the api at http://api:4000 and the storefront at
  # http://web-client:3000 without leaving the VPC. Under CodeDeploy blue/green the api cannot
  # join Service Connect, so both are reached through their public URLs instead.
  service_connect_namespace = "${local.name}.internal"
  internal_api_url          = var.enable_blue_green ? local.storefront_url : "http://api:${local.ports.api}"
  internal_storefront_url   = var.enable_blue_green ? local.storefront_url : "http://web-client:${local.ports["web-client"]}"
}
