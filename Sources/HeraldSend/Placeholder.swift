enum HeraldSendPlaceholder {}
