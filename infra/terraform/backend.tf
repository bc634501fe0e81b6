# Remote state in S3 with a DynamoDB lock table. Partial configuration: the bucket and its region
# differ per account, so they are passed at init time (see backend.hcl.example):
#
#   terraform init -backend-config=backend.hcl
#   # or: terraform init -backend-config="bucket=my-tf-state" -backend-config="region=eu-west-1"
#
# The state bucket (versioned, encrypted) and the lock table (partition key "LockID", type S) are
# created once per account before the first init; docs/deployment.md has the two commands.
terraform {
  backend "s3" {
    key            = "ecommerce-3d/terraform.tfstate"
    dynamodb_table = "e3d-terraform-locks"
    encrypt        = true
  }
}
