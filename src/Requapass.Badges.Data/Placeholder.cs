namespace Requapass.Badges.Data;
