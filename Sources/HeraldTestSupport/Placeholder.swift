enum HeraldTestSupportPlaceholder {}
